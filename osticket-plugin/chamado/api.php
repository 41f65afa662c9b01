<?php
/*
 * The plugin's API, under /api/tickets/chamado/ (see ../README.md for the contract):
 *   POST create.json   a ticket, exactly once by reference
 *   POST message.json  a customer message on it, exactly once by message_key
 *   GET  ticket.json   its status and public thread (never internal notes)
 * Authenticated with osTicket's own API keys (X-API-Key, bound to the caller's IP). JSON in and out;
 * every error is {"error": {"code", "message"}}.
 */
require_once INCLUDE_DIR . 'class.api.php';
require_once INCLUDE_DIR . 'class.ticket.php';

class ChamadoApi {
    // References and message keys: what central generates (UUIDs, ULIDs, "CH-2026-000123"…).
    const KEY_PATTERN = '/^[A-Za-z0-9][A-Za-z0-9._:\-]{0,99}$/';
    const LOCK_SECONDS = 30;
    // Core ticket variables a custom field must not overwrite.
    static $reserved = array('name', 'email', 'phone', 'subject', 'message', 'priority', 'topicId',
        'priorityId', 'source', 'attachments', 'alert', 'autorespond', 'ip', 'uid', 'userId', 'deptId',
        'statusId', 'emailId', 'duedate', 'reference');

    function run($action) {
        try {
            ChamadoStore::ensure();
            $key = $this->requireKey($action != 'ticket');
            switch ($action) {
            case 'create':
                $this->create($this->body());
                break;
            case 'message':
                $this->message($this->body());
                break;
            case 'ticket':
                $this->ticket();
                break;
            }
        } catch (ChamadoApiExit $done) {
            // The response is out.
        } catch (Throwable $ex) {
            ChamadoEvents::log('Chamado API: internal error', $ex->getMessage() . "\n" . $ex->getTraceAsString());
            self::send(500, array('error' => array('code' => 'internal',
                'message' => 'Internal error in the Chamado plugin: ' . $ex->getMessage())), false);
        }
        ChamadoStore::unlockAll();
        // Events queued earlier (a central that was down) go now that someone calls.
        if (function_exists('fastcgi_finish_request'))
            @fastcgi_finish_request();
        ChamadoEvents::flush(false);
        exit();
    }

    // ------------------------------------------------------------------ create

    function create($in) {
        $reference = $this->key($in, 'reference');
        foreach (array('name', 'email', 'subject') as $f)
            $this->string($in, $f, true);
        $this->string($in, 'phone', false);
        if (!isset($in['topic_id']) || !is_int($in['topic_id']) || $in['topic_id'] <= 0)
            self::fail(400, 'invalid_request', 'topic_id: expected the help topic\'s id (a positive integer)');
        if (isset($in['priority_id']) && (!is_int($in['priority_id']) || $in['priority_id'] <= 0))
            self::fail(400, 'invalid_request', 'priority_id: expected a priority\'s id (a positive integer)');
        $fields = $in['fields'] ?? array();
        if (!is_array($fields) || ($fields && chamado_is_list($fields)))
            self::fail(400, 'invalid_request', 'fields: expected an object {variable: value}');
        $body = $this->messageBody($in);

        if (!self::lockOrFail('ticket:' . $reference))
            return;
        $row = ChamadoStore::ticketByReference($reference);
        if ($row && $row['ticket_id'] && ($ticket = self::lookupCutShort((int) $row['ticket_id']))) {
            $entries = self::entryTypes($ticket);
            if (isset($entries['M'])) {
                ChamadoStore::unlock('ticket:' . $reference);
                self::send(200, $this->created($ticket, false));
            }
            // The process that created it died half-way (osTicket's create is not one transaction):
            // a ticket without the customer's message. Untouched, it goes and is created again,
            // whole, below; if an analyst already wrote on it, it stays and gets the message.
            if ($entries) {
                ChamadoEvents::$suppress++;
                try {
                    $ticket->postMessage(array('userId' => $ticket->getUserId(), 'message' => $body,
                        'attachments' => $this->attachments($in), 'ip' => $_SERVER['REMOTE_ADDR']), 'API');
                } finally {
                    ChamadoEvents::$suppress--;
                }
                ChamadoStore::unlock('ticket:' . $reference);
                self::send(200, $this->created($ticket, false));
            }
            self::discard($ticket, $reference);
        } elseif ($row) {
            self::sweep($row, $in['email'], (int) $in['topic_id'], $reference);
        }

        $topic = Topic::lookup($in['topic_id']);
        if (!$topic || !$topic->isActive())
            self::fail(422, 'unknown_topic', sprintf('topic_id: no active help topic %d in osTicket', $in['topic_id']));

        $vars = array(
            'name' => $in['name'],
            'email' => $in['email'],
            'phone' => $in['phone'] ?? '',
            'subject' => $in['subject'],
            'message' => $body,
            'topicId' => $topic->getId(),
            'source' => 'API',
            'ip' => $_SERVER['REMOTE_ADDR'],
        );
        if (isset($in['priority_id']))
            $vars['priorityId'] = $in['priority_id'];
        foreach (array('alert', 'autorespond') as $flag)
            if (isset($in[$flag]))
                $vars[$flag] = (bool) $in[$flag];

        // Custom fields by variable name, as osTicket's API reads them: top-level variables that the
        // topic's forms (and the ticket form) pick up. Names no form has are answered back.
        $known = array();
        foreach ($topic->getForms() as $form)
            foreach ($form->getDynamicFields() as $field)
                if ($field->get('name'))
                    $known[$field->get('name')] = true;
        $ignored = array();
        foreach ($fields as $name => $value) {
            $name = (string) $name;
            if (!is_scalar($value) && $value !== null)
                self::fail(400, 'invalid_request', "fields.$name: expected text, a number or a boolean");
            if (!isset($known[$name]) || in_array($name, self::$reserved, true)) {
                $ignored[] = $name;
                continue;
            }
            $vars[$name] = is_bool($value) ? ($value ? '1' : '0') : (string) $value;
        }
        $vars['attachments'] = $this->attachments($in);

        ChamadoStore::reserveReference($reference);
        ChamadoStore::$inFlight = array('kind' => 'ticket', 'key' => $reference);
        ChamadoEvents::$suppress++;
        $errors = array();
        try {
            $ticket = Ticket::create($vars, $errors, 'API', $vars['autorespond'] ?? true, $vars['alert'] ?? true);
        } finally {
            ChamadoEvents::$suppress--;
            ChamadoStore::$inFlight = null;
        }
        if (!$ticket || $errors) {
            ChamadoStore::unlock('ticket:' . $reference);
            $what = array();
            foreach ($errors as $k => $v)
                if ($k !== 'errno')
                    $what[] = is_string($k) && $k !== 'err' ? "$k: $v" : (string) $v;
            self::fail(($errors['errno'] ?? 0) == 403 ? 403 : 422, 'rejected',
                'osTicket did not create the ticket: ' . ($what ? implode('; ', $what) : 'unknown error'));
        }
        ChamadoStore::setTicket($reference, $ticket->getId());
        ChamadoStore::unlock('ticket:' . $reference);
        $out = $this->created($ticket, true);
        if ($ignored)
            $out['ignored_fields'] = $ignored;
        self::send(201, $out);
    }

    /** The ticket's thread entries by type ('M' the customer's, 'R' replies, 'N' notes): type => count. */
    static function entryTypes($ticket) {
        $out = array();
        $res = db_query('SELECT e.type, COUNT(*) FROM ' . THREAD_ENTRY_TABLE . ' e JOIN ' . THREAD_TABLE
            . " t ON t.id = e.thread_id WHERE t.object_type = 'T' AND t.object_id = " . (int) $ticket->getId()
            . ' GROUP BY e.type');
        while ($res && ($r = db_fetch_row($res)))
            $out[$r[0]] = (int) $r[1];
        return $out;
    }

    /** Ticket::lookup(), also for a ticket whose creation stopped before osTicket gave it a status
     * (osTicket cannot load those), which then gets the default status so it can be deleted. */
    static function lookupCutShort($id) {
        global $cfg;
        if (($ticket = Ticket::lookup($id)))
            return $ticket;
        db_query('UPDATE ' . TICKET_TABLE . ' SET status_id = ' . (int) $cfg->getDefaultTicketStatusId()
            . ' WHERE ticket_id = ' . (int) $id . ' AND status_id = 0');
        return db_affected_rows() ? Ticket::lookup($id) : null;
    }

    /**
     * An earlier attempt for this reference reserved it and died with no ticket recorded. It may
     * have died while MySQL was inserting the ticket's row (the row is written, the process never
     * learns its id): such a row has no status and no thread yet, and belongs to this customer and
     * topic, after the reservation, with no reference pointing at it. Those rows go.
     */
    static function sweep($row, $email, $topic_id, $reference) {
        $res = db_query('SELECT t.ticket_id, t.number FROM ' . TICKET_TABLE . ' t JOIN ' . USER_EMAIL_TABLE
            . ' ue ON ue.user_id = t.user_id LEFT JOIN ' . THREAD_TABLE . " th ON th.object_type = 'T'"
            . ' AND th.object_id = t.ticket_id LEFT JOIN ' . ChamadoStore::table('ticket') . ' r ON r.ticket_id = t.ticket_id'
            . ' WHERE ue.address = ' . db_input($email) . ' AND t.topic_id = ' . (int) $topic_id
            . " AND t.source = 'API' AND t.status_id = 0 AND th.id IS NULL AND r.id IS NULL"
            . ' AND t.created >= ' . db_input($row['created']));
        while ($res && ($t = db_fetch_array($res))) {
            db_query('DELETE FROM ' . TICKET_TABLE . ' WHERE status_id = 0 AND ticket_id = ' . (int) $t['ticket_id']);
            ChamadoEvents::log('Chamado: an incomplete ticket was created again',
                sprintf('Ticket %s (reference %s) was cut short as it was inserted. Deleted and created again.',
                    $t['number'], $reference));
        }
    }

    static function discard($ticket, $reference) {
        try {
            ChamadoEvents::$suppress++;
            // Ticket::delete() expects the thread, the first thing a cut-short create may lack.
            if (!$ticket->getThread())
                TicketThread::create($ticket->getId());
            $ticket = Ticket::lookup($ticket->getId());
            $ticket->delete();
            ChamadoEvents::log('Chamado: an incomplete ticket was created again',
                sprintf('Ticket %s (reference %s) had no message: its creation was cut short. Deleted and created again.',
                    $ticket->getNumber(), $reference));
        } catch (Throwable $ex) {
            ChamadoEvents::log('Chamado: could not delete an incomplete ticket', $ex->getMessage());
        } finally {
            ChamadoEvents::$suppress--;
        }
    }

    function created($ticket, $created) {
        return array(
            'number' => (string) $ticket->getNumber(),
            'ticket_id' => (int) $ticket->getId(),
            'status' => self::statusOf($ticket),
            'created' => $created,
        );
    }

    // ------------------------------------------------------------------ message

    function message($in) {
        $reference = $this->key($in, 'reference');
        $mkey = $this->key($in, 'message_key');
        $body = $this->messageBody($in);
        if (!self::lockOrFail('message:' . $mkey))
            return;
        $ticket = $this->ticketOf($reference);
        $row = ChamadoStore::messageByKey($mkey);
        if ($row && $row['reference'] !== $reference)
            self::fail(409, 'conflict', 'message_key: already used for another reference');
        if ($row && $row['entry_id']) {
            ChamadoStore::unlock('message:' . $mkey);
            self::send(200, array('number' => (string) $ticket->getNumber(), 'entry_id' => (int) $row['entry_id'],
                'created' => false));
        }
        if ($row && ($entry_id = self::adopt($row, $ticket, $body))) {
            ChamadoStore::setEntry($mkey, $entry_id);
            ChamadoStore::unlock('message:' . $mkey);
            self::send(200, array('number' => (string) $ticket->getNumber(), 'entry_id' => $entry_id,
                'created' => false));
        }
        $vars = array(
            'userId' => $ticket->getUserId(),
            'message' => $body,
            'attachments' => $this->attachments($in),
            'ip' => $_SERVER['REMOTE_ADDR'],
        );
        ChamadoStore::reserveMessage($mkey, $reference);
        ChamadoStore::$inFlight = array('kind' => 'entry', 'key' => $mkey, 'thread_id' => $ticket->getThreadId());
        try {
            $entry = $ticket->postMessage($vars, 'API');
        } finally {
            ChamadoStore::$inFlight = null;
        }
        if (!$entry) {
            ChamadoStore::unlock('message:' . $mkey);
            self::fail(422, 'rejected', 'osTicket did not add the message to ticket ' . $ticket->getNumber());
        }
        ChamadoStore::setEntry($mkey, $entry->getId());
        ChamadoStore::unlock('message:' . $mkey);
        self::send(201, array('number' => (string) $ticket->getNumber(), 'entry_id' => (int) $entry->getId(),
            'created' => true));
    }

    /**
     * An earlier attempt for this message key died with no entry recorded: it may have died while
     * MySQL was inserting the entry (written, its id never learnt). Such an entry is the owner's,
     * after the reservation, has this very text and no key pointing at it: it is this message.
     */
    static function adopt($row, $ticket, $body) {
        $plain = function ($html) {
            return trim(preg_replace('/\s+/u', ' ', html_entity_decode(strip_tags($html), ENT_QUOTES | ENT_HTML5, 'UTF-8')));
        };
        $want = $plain(Format::strip_emoticons($body->getClean()));
        $res = db_query('SELECT e.id, e.body FROM ' . THREAD_ENTRY_TABLE . ' e LEFT JOIN ' . ChamadoStore::table('message')
            . ' m ON m.entry_id = e.id WHERE m.id IS NULL AND e.thread_id = ' . (int) $ticket->getThreadId()
            . " AND e.type = 'M' AND e.user_id = " . (int) $ticket->getUserId()
            . ' AND e.created >= ' . db_input($row['created']) . ' ORDER BY e.id');
        while ($res && ($e = db_fetch_array($res)))
            if ($plain($e['body']) === $want)
                return (int) $e['id'];
        return 0;
    }

    // ------------------------------------------------------------------ ticket

    function ticket() {
        $reference = $_GET['reference'] ?? '';
        if (!is_string($reference) || !preg_match(self::KEY_PATTERN, $reference))
            self::fail(400, 'invalid_request', 'reference: expected 1 to 100 letters, digits or . _ : -');
        $ticket = $this->ticketOf($reference);
        $id = (int) $ticket->getId();
        $updated = db_result(db_query('SELECT UNIX_TIMESTAMP(GREATEST(COALESCE(lastupdate, created), updated)) FROM '
            . TICKET_TABLE . ' WHERE ticket_id = ' . $id));
        $thread = array();
        $res = db_query('SELECT e.id, e.type, e.poster, e.body, e.format, UNIX_TIMESTAMP(e.created) AS at FROM '
            . THREAD_ENTRY_TABLE . ' e JOIN ' . THREAD_TABLE . ' t ON t.id = e.thread_id'
            . " WHERE t.object_type = 'T' AND t.object_id = $id AND e.type IN ('M', 'R')"
            . ' AND (e.flags & ' . ThreadEntry::FLAG_HIDDEN . ') = 0 ORDER BY e.id');
        while ($res && ($e = db_fetch_array($res))) {
            if ($e['format'] == 'html') {
                $html = $e['body'];
                $text = ChamadoHtmlBody::toText($html);
            } else {
                $text = $e['body'];
                $html = nl2br(htmlspecialchars($text, ENT_QUOTES | ENT_SUBSTITUTE, 'UTF-8'), false);
            }
            $thread[] = array(
                'id' => (int) $e['id'],
                'kind' => $e['type'] == 'R' ? 'reply' : 'message',
                'author' => (string) $e['poster'],
                'created' => self::iso($e['at']),
                'text' => $text,
                'html' => $html,
            );
        }
        self::send(200, array(
            'number' => (string) $ticket->getNumber(),
            'status' => self::statusOf($ticket),
            'updated' => self::iso($updated),
            'thread' => $thread,
        ));
    }

    // ------------------------------------------------------------------ helpers

    static function statusOf($ticket) {
        $s = $ticket->getStatus();
        return array('state' => $s ? $s->getState() : 'open', 'name' => $s ? (string) $s->getName() : '');
    }

    static function iso($unix) {
        return $unix ? gmdate('Y-m-d\TH:i:s\Z', (int) $unix) : null;
    }

    function ticketOf($reference) {
        $row = ChamadoStore::ticketByReference($reference);
        if (!$row || !$row['ticket_id'] || !($ticket = Ticket::lookup((int) $row['ticket_id'])))
            self::fail(404, 'unknown_reference', "reference: no ticket created by Chamado with reference $reference");
        return $ticket;
    }

    function requireKey($create) {
        $key = $_SERVER['HTTP_X_API_KEY'] ?? '';
        $ip = $_SERVER['REMOTE_ADDR'] ?? '';
        // As osTicket's own API: the key is looked up by key and caller's IP together.
        $api = ($key && $ip) ? API::lookupByKey($key, $ip) : null;
        if (!$api)
            self::fail(401, 'unauthorized', 'Valid API key required (X-API-Key, for this client\'s IP address)');
        if (!$api->isActive() || $api->getIPAddr() != $ip)
            self::fail(401, 'unauthorized', 'API key not found/active or source IP not authorized');
        if ($create && !$api->canCreateTickets())
            self::fail(403, 'forbidden', 'API key not authorized to create tickets');
        return $api;
    }

    function body() {
        $raw = file_get_contents('php://input');
        if ($raw === false || trim($raw) === '')
            self::fail(400, 'invalid_json', 'Empty request body: expected a JSON object');
        $in = json_decode($raw, true, 64, JSON_BIGINT_AS_STRING);
        if (!is_array($in) || chamado_is_list($in))
            self::fail(400, 'invalid_json', 'Malformed JSON (or not an object, or not UTF-8): ' . json_last_error_msg());
        return $in;
    }

    function key($in, $name) {
        $v = $in[$name] ?? null;
        if (!is_string($v) || !preg_match(self::KEY_PATTERN, $v))
            self::fail(400, 'invalid_request', "$name: expected 1 to 100 letters, digits or . _ : - (starting with a letter or digit)");
        return $v;
    }

    function string($in, $name, $required) {
        $v = $in[$name] ?? null;
        if ($v === null && !$required)
            return;
        if (!is_string($v) || ($required && trim($v) === ''))
            self::fail(400, 'invalid_request', "$name: expected " . ($required ? 'non-empty ' : '') . 'text');
    }

    function messageBody($in) {
        $html = $in['message_html'] ?? null;
        $text = $in['message_text'] ?? null;
        if (is_string($html) && trim(strip_tags($html)) !== '' || is_string($html) && preg_match('/<img\b/i', $html))
            return new ChamadoHtmlBody($html);
        if ($html === null && is_string($text) && trim($text) !== '')
            return new ChamadoHtmlBody(ChamadoHtmlBody::fromText($text));
        self::fail(400, 'invalid_request', 'message_html: expected the message (HTML, not empty)');
    }

    /** Attachments decoded and stored as osTicket's API stores them (the ticket form's file settings). */
    function attachments($in) {
        $list = $in['attachments'] ?? array();
        if (!is_array($list) || ($list && !chamado_is_list($list)))
            self::fail(400, 'invalid_request', 'attachments: expected a list of {name, type, data}');
        if (!$list)
            return array();
        $messageField = TicketForm::objects()->one()->getForm()->getField('message');
        if (!$messageField->isAttachmentsEnabled())
            self::fail(422, 'attachment_rejected', 'osTicket does not accept attachments (Admin > Settings > Tickets)');
        $fileField = $messageField->getWidget()->getAttachments();
        $files = array();
        foreach ($list as $i => $a) {
            if (!is_array($a) || !is_string($a['name'] ?? null) || trim($a['name']) === ''
                    || !is_string($a['data'] ?? null))
                self::fail(400, 'invalid_request', "attachments[$i]: expected {name, type, data (base64)}");
            $data = base64_decode($a['data'], true);
            if ($data === false)
                self::fail(400, 'invalid_request', "attachments[$i] ({$a['name']}): data is not valid base64");
            $file = array('name' => $a['name'], 'type' => is_string($a['type'] ?? null) && $a['type'] !== ''
                ? $a['type'] : 'application/octet-stream', 'data' => $data);
            try {
                $F = $fileField->uploadAttachment($file);
            } catch (FileUploadError $ex) {
                self::fail(422, 'attachment_rejected', "attachments[$i] ({$a['name']}): " . $ex->getMessage());
            }
            $files[] = array('id' => $F->getId(), 'name' => $a['name'], 'type' => $file['type']);
        }
        return $files;
    }

    static function lockOrFail($what) {
        if (ChamadoStore::lock($what, self::LOCK_SECONDS))
            return true;
        self::fail(503, 'busy', 'Another request for the same ' . strtok($what, ':') . ' is still running; retry later');
    }

    static function fail($status, $code, $message) {
        self::send($status, array('error' => array('code' => $code, 'message' => $message)));
    }

    static function send($status, $data, $throw = true) {
        if (!headers_sent()) {
            http_response_code($status);
            header('Content-Type: application/json; charset=utf-8');
            header('Cache-Control: no-store');
            if ($status == 503)
                header('Retry-After: 5');
        }
        echo json_encode($data, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES | JSON_INVALID_UTF8_SUBSTITUTE);
        if ($throw)
            throw new ChamadoApiExit();
    }
}

class ChamadoApiExit extends Exception {}

// array_is_list() is PHP 8.1; osTicket 1.17 runs on PHP 8.0 too.
function chamado_is_list($a) {
    return is_array($a) && ($a === array() || array_keys($a) === range(0, count($a) - 1));
}
