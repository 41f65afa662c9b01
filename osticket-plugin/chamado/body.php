<?php
/*
 * A message's HTML as Chamado sent it, through osTicket's cleaning intact.
 *
 * What osTicket does to an HTML body (ThreadEntry::create → getClean → Format::sanitize):
 *  1. Format::safe_html decodes &lt; &gt; &amp; &quot; once before cleaning, so `&lt;Maria&gt;`
 *     would become a tag and be removed: every `&` is escaped once more first (the exact inverse of
 *     that single decoding pass), so the text stays text;
 *  2. the HTML is balanced with libxml and cleaned with htmLawed (scripts, event handlers go: that
 *     stays, it is the help desk's protection);
 *  3. Format::strip_emoticons removes emoji and some symbols (©, ®, «, ✔, …), and the tables are
 *     utf8 (3 bytes), which cannot hold characters beyond U+FFFF anyway. Those characters are swapped
 *     for placeholders before the cleaning and for numeric character references (`&#x1F600;`, plain
 *     ASCII) after it, so they are stored and shown as typed.
 */
class ChamadoHtmlBody extends HtmlThreadEntryBody {
    private $marker;

    // The characters Format::strip_emoticons removes, and everything beyond the BMP.
    const STRIPPED = '/[\x{A9}-\x{AE}\x{2310}-\x{231F}\x{2322}-\x{232F}\x{23E0}-\x{23FF}\x{2702}-\x{27B0}\x{10000}-\x{10FFFF}]/u';

    function __construct($html) {
        // A marker unique to this message: text the customer typed cannot collide with it.
        $this->marker = 'chamado' . bin2hex(random_bytes(6));
        $marker = $this->marker;
        $html = str_replace('&', '&amp;', $html);
        $html = preg_replace_callback(self::STRIPPED, function ($m) use ($marker) {
            return $marker . 'x' . dechex(mb_ord($m[0], 'UTF-8')) . 'y';
        }, $html);
        parent::__construct($html);
    }

    function getClean() {
        $marker = $this->marker;
        return preg_replace_callback('/' . $marker . 'x([0-9a-f]+)y/', function ($m) {
            return '&#x' . strtoupper($m[1]) . ';';
        }, parent::getClean());
    }

    /** Plain text typed by the customer as HTML: escaped, line breaks kept. */
    static function fromText($text) {
        $text = str_replace(array("\r\n", "\r"), "\n", $text);
        $html = htmlspecialchars($text, ENT_NOQUOTES | ENT_SUBSTITUTE, 'UTF-8');
        // Runs of spaces and tabs survive HTML's whitespace folding.
        $html = preg_replace_callback('/ {2,}|\t/', function ($m) {
            return str_repeat('&nbsp;', max(1, strlen($m[0]) - 1)) . ' ';
        }, $html);
        return '<div>' . str_replace("\n", '<br>', $html) . '</div>';
    }

    /** A stored (cleaned) HTML body as plain text: line breaks for <br> and blocks, entities decoded. */
    static function toText($html) {
        if (trim($html) === '')
            return '';
        $doc = new DOMDocument();
        $ok = @$doc->loadHTML('<?xml encoding="utf-8"?><meta http-equiv="Content-Type" content="text/html; charset=utf-8"/>'
            . '<div>' . $html . '</div>');
        if (!$ok)
            return html_entity_decode(strip_tags($html), ENT_QUOTES | ENT_HTML5, 'UTF-8');
        $out = '';
        self::walk($doc->getElementsByTagName('body')->item(0), $out);
        // Whitespace around line breaks is the HTML source's, not the text's (&nbsp; is kept).
        $out = preg_replace("/[ \t]*\n[ \t]*/", "\n", $out);
        $out = preg_replace("/\n{3,}/", "\n\n", $out);
        return trim(str_replace("\xC2\xA0", ' ', $out), "\n");
    }

    private static function walk($node, &$out) {
        static $blocks = array('p' => 1, 'div' => 1, 'li' => 1, 'tr' => 1, 'h1' => 1, 'h2' => 1, 'h3' => 1,
            'h4' => 1, 'h5' => 1, 'h6' => 1, 'pre' => 1, 'blockquote' => 1, 'table' => 1, 'ul' => 1, 'ol' => 1);
        foreach ($node->childNodes as $child) {
            if ($child->nodeType == XML_TEXT_NODE) {
                $out .= preg_replace('/[\r\n\t ]+/', ' ', $child->nodeValue);
            } elseif ($child->nodeType == XML_ELEMENT_NODE) {
                $name = strtolower($child->nodeName);
                if ($name == 'br') {
                    $out .= "\n";
                    continue;
                }
                $block = isset($blocks[$name]);
                if ($block && $out !== '' && substr($out, -1) != "\n")
                    $out .= "\n";
                if ($name == 'td' || $name == 'th')
                    $out .= (substr($out, -1) == "\n" || $out === '') ? '' : "\t";
                self::walk($child, $out);
                if ($block && substr($out, -1) != "\n")
                    $out .= "\n";
            }
        }
    }
}
