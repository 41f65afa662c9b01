<?php
/*
 * The plugin's own tables (created on first use when missing, with osTicket's TABLE_PREFIX):
 *   chamado_ticket  — reference (UNIQUE) → ticket_id: a reference makes one ticket, ever;
 *   chamado_message — message_key (UNIQUE) → entry_id: a customer message is posted once;
 *   chamado_event   — the events for central, queued before they are sent (events.php).
 */
class ChamadoStore {
    const SCHEMA = 1;
    static $ready = false;
    // What the plugin is creating right now: array('kind' => 'ticket'|'entry', 'key' => ...,
    // 'thread_id' => ...). model.created records the new row's id at once, so a process that dies
    // in the middle of osTicket's long create (forms, e-mails, alerts) leaves the reference pointing
    // at its ticket and a retry does not create a second one.
    static $inFlight = null;

    static function table($name) {
        return TABLE_PREFIX . 'chamado_' . $name;
    }

    static function ensure() {
        if (self::$ready)
            return;
        $t = self::table('ticket');
        $m = self::table('message');
        $e = self::table('event');
        $have = db_result(db_query('SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE()'
            . ' AND table_name IN (' . implode(',', db_input(array($t, $m, $e))) . ')'));
        if ((int) $have !== 3) {
            foreach (array(
                "CREATE TABLE IF NOT EXISTS `$t` (
                  `id` int unsigned NOT NULL AUTO_INCREMENT,
                  `reference` varchar(100) NOT NULL,
                  `ticket_id` int unsigned DEFAULT NULL,
                  `created` datetime NOT NULL,
                  PRIMARY KEY (`id`),
                  UNIQUE KEY `reference` (`reference`),
                  KEY `ticket_id` (`ticket_id`)
                ) ENGINE=InnoDB DEFAULT CHARSET=utf8",
                "CREATE TABLE IF NOT EXISTS `$m` (
                  `id` int unsigned NOT NULL AUTO_INCREMENT,
                  `message_key` varchar(100) NOT NULL,
                  `reference` varchar(100) NOT NULL,
                  `entry_id` int unsigned DEFAULT NULL,
                  `created` datetime NOT NULL,
                  PRIMARY KEY (`id`),
                  UNIQUE KEY `message_key` (`message_key`)
                ) ENGINE=InnoDB DEFAULT CHARSET=utf8",
                "CREATE TABLE IF NOT EXISTS `$e` (
                  `id` int unsigned NOT NULL AUTO_INCREMENT,
                  `ticket_id` int unsigned NOT NULL,
                  `event` varchar(16) NOT NULL,
                  `body` mediumtext NOT NULL,
                  `created` datetime NOT NULL,
                  `attempts` int unsigned NOT NULL DEFAULT 0,
                  `next_at` datetime NOT NULL,
                  `sent_at` datetime DEFAULT NULL,
                  `last_error` varchar(255) DEFAULT NULL,
                  PRIMARY KEY (`id`),
                  KEY `pending` (`sent_at`, `id`)
                ) ENGINE=InnoDB DEFAULT CHARSET=utf8",
            ) as $sql) {
                if (!db_query($sql))
                    throw new Exception('Chamado: could not create the plugin\'s table: ' . db_error());
            }
        }
        self::$ready = true;
    }

    static function one($sql) {
        $res = db_query($sql);
        return $res ? db_fetch_array($res) : null;
    }

    /** A named MySQL lock (per connection: released when PHP ends, even after a crash). */
    static $held = array();

    static function lock($what, $seconds) {
        $name = 'chamado:' . sha1($what);
        $ok = (int) db_result(db_query('SELECT GET_LOCK(' . db_input($name) . ', ' . (int) $seconds . ')')) === 1;
        if ($ok)
            self::$held[$what] = true;
        return $ok;
    }

    static function unlock($what) {
        db_query('SELECT RELEASE_LOCK(' . db_input('chamado:' . sha1($what)) . ')');
        unset(self::$held[$what]);
    }

    /** The locks an answered request still holds (it answered with an error half-way). */
    static function unlockAll() {
        foreach (array_keys(self::$held) as $what)
            self::unlock($what);
    }

    static function ticketByReference($reference) {
        self::ensure();
        return self::one('SELECT id, ticket_id, created FROM ' . self::table('ticket')
            . ' WHERE reference = ' . db_input($reference));
    }

    static function referenceOfTicket($ticket_id) {
        self::ensure();
        $row = self::one('SELECT reference FROM ' . self::table('ticket')
            . ' WHERE ticket_id = ' . (int) $ticket_id . ' ORDER BY id LIMIT 1');
        return $row ? $row['reference'] : null;
    }

    static function reserveReference($reference) {
        db_query('INSERT IGNORE INTO ' . self::table('ticket') . ' (reference, created) VALUES ('
            . db_input($reference) . ', NOW())');
    }

    static function setTicket($reference, $ticket_id) {
        db_query('UPDATE ' . self::table('ticket') . ' SET ticket_id = ' . (int) $ticket_id
            . ' WHERE reference = ' . db_input($reference));
    }

    static function messageByKey($key) {
        self::ensure();
        return self::one('SELECT reference, entry_id, created FROM ' . self::table('message')
            . ' WHERE message_key = ' . db_input($key));
    }

    static function reserveMessage($key, $reference) {
        db_query('INSERT IGNORE INTO ' . self::table('message') . ' (message_key, reference, created) VALUES ('
            . db_input($key) . ', ' . db_input($reference) . ', NOW())');
    }

    static function setEntry($key, $entry_id) {
        db_query('UPDATE ' . self::table('message') . ' SET entry_id = ' . (int) $entry_id
            . ' WHERE message_key = ' . db_input($key));
    }

    static function onModelCreated($model) {
        $f = self::$inFlight;
        if (!$f)
            return;
        if ($f['kind'] == 'ticket' && $model instanceof Ticket)
            self::setTicket($f['key'], $model->getId());
        elseif ($f['kind'] == 'entry' && $model instanceof ThreadEntry
                && $model->get('thread_id') == $f['thread_id'] && $model->get('type') == 'M')
            self::setEntry($f['key'], $model->getId());
    }
}
