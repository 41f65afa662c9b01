<?php
/*
 * Events for central: an analyst's reply on a Chamado ticket, a Chamado ticket's status change.
 *
 * Each event is written to the chamado_event table first, then sent: after the request that caused
 * it (once the response is out, with fastcgi_finish_request, so the analyst does not wait), after
 * any call to the plugin's API, and on osTicket's cron. Sending stops at the first event that is not
 * due or that fails, so events reach central in the order they happened; a failed event is retried
 * with a growing delay (1 min doubling to 1 h; cron tries again regardless), so a central that is
 * down loses nothing. Central deduplicates by event_id (a crash after sending and before marking
 * sends an event again). An event central refuses for good (a 4xx other than 401/403/408/409/429)
 * is set aside with the reason in last_error, so it does not hold up the rest; sent events are
 * deleted after 30 days (on cron).
 *
 * POST {central_url}/v1/osticket/events, JSON, with
 *   X-Chamado-Timestamp: unix seconds
 *   X-Chamado-Signature: sha256=HEX(HMAC-SHA256(secret, timestamp + "." + body))
 */
class ChamadoEvents {
    static $config = null;
    static $suppress = 0;
    private static $scheduled = false;
    const TIMEOUT = 5;

    static function onThreadEntry($entry) {
        if (self::$suppress || !($entry instanceof ThreadEntry) || $entry->get('type') != 'R')
            return;
        $thread = $entry->getThread();
        if (!$thread || $thread->get('object_type') != 'T')
            return;
        self::queue((int) $thread->get('object_id'), 'reply', array('entry_id' => (int) $entry->getId()));
    }

    static function onTicketUpdated($ticket, $data) {
        if (self::$suppress || !is_array($data) || !isset($data['dirty'])
                || !array_key_exists('status_id', $data['dirty']))
            return;
        $old = (int) $data['dirty']['status_id'];
        if (!$old || $old == (int) $ticket->get('status_id'))
            return;
        self::queue((int) $ticket->getId(), 'status', array());
    }

    static function queue($ticket_id, $event, $extra) {
        try {
            if (!($reference = ChamadoStore::referenceOfTicket($ticket_id)))
                return;
            $ticket = Ticket::lookup($ticket_id);
            if (!$ticket)
                return;
            // One INSERT (event_id, the row's id, is added when it is sent).
            $body = array(
                'reference' => $reference,
                'number' => (string) $ticket->getNumber(),
                'event' => $event,
                'status' => ChamadoApi::statusOf($ticket),
            ) + $extra + array('at' => gmdate('Y-m-d\TH:i:s\Z'));
            db_query('INSERT INTO ' . ChamadoStore::table('event')
                . ' (ticket_id, event, body, created, next_at) VALUES (' . (int) $ticket_id . ', ' . db_input($event)
                . ', ' . db_input(json_encode($body, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES)) . ', NOW(), NOW())');
            self::sendAfterResponse();
        } catch (Throwable $ex) {
            // Never break the analyst's reply; the poll is central's fallback.
            self::log('Chamado: could not queue an event', $ex->getMessage());
        }
    }

    static function sendAfterResponse() {
        if (self::$scheduled)
            return;
        self::$scheduled = true;
        register_shutdown_function(function () {
            if (function_exists('fastcgi_finish_request'))
                @fastcgi_finish_request();
            ChamadoEvents::flush(false);
        });
    }

    /** Sends the pending events in order; $all (cron) also sends those still waiting for their retry. */
    static function flush($all) {
        $config = self::$config;
        if (!$config || !($url = trim((string) $config->get('central_url'))))
            return;
        $secret = (string) $config->get('secret');
        try {
            ChamadoStore::ensure();
            // One sender at a time (two would send an event twice); the response is already out, so
            // waiting a little for the other sender is free and it usually takes this event too.
            if (!ChamadoStore::lock('events', 10))
                return;
            $table = ChamadoStore::table('event');
            $until = time() + 20;
            // One at a time, so events queued meanwhile (by other requests) are taken too.
            while (time() < $until && ($row = ChamadoStore::one("SELECT id, body, attempts, next_at <= NOW() AS due FROM $table"
                    . ' WHERE sent_at IS NULL ORDER BY id LIMIT 1'))) {
                if (!$all && !$row['due'])
                    break;
                $body = json_encode(array('event_id' => (int) $row['id']) + (array) json_decode($row['body'], true),
                    JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES);
                list($error, $final) = self::post(rtrim($url, '/') . '/v1/osticket/events', $body, $secret);
                if ($error === null || $final) {
                    // Taken, or refused for good (central does not want this event: it must not
                    // hold up the ones behind it; the reason stays in last_error).
                    db_query("UPDATE $table SET sent_at = NOW(), attempts = attempts + 1, last_error = "
                        . ($error === null ? 'NULL' : db_input(substr($error, 0, 250))) . ' WHERE id = ' . (int) $row['id']);
                    continue;
                }
                $delay = min(3600, 60 * (1 << min(6, (int) $row['attempts'])));
                db_query("UPDATE $table SET attempts = attempts + 1, last_error = " . db_input(substr($error, 0, 250))
                    . ', next_at = NOW() + INTERVAL ' . $delay . ' SECOND WHERE id = ' . (int) $row['id']);
                break;
            }
            if ($all)
                db_query("DELETE FROM $table WHERE sent_at < NOW() - INTERVAL 30 DAY");
            ChamadoStore::unlock('events');
        } catch (Throwable $ex) {
            self::log('Chamado: could not send events', $ex->getMessage());
        }
    }

    /**
     * array(null, _) when central took it (2xx), else array(what went wrong, final): final when
     * central refused this very event (a 4xx other than 401/403/408/409/429, which are about the
     * configuration or the moment and are retried).
     */
    static function post($url, $body, $secret) {
        $ts = (string) time();
        $sig = hash_hmac('sha256', $ts . '.' . $body, $secret);
        $headers = array(
            'Content-Type: application/json; charset=utf-8',
            'X-Chamado-Timestamp: ' . $ts,
            'X-Chamado-Signature: sha256=' . $sig,
            'User-Agent: chamado-osticket-plugin',
        );
        if (function_exists('curl_init')) {
            $c = curl_init($url);
            curl_setopt_array($c, array(
                CURLOPT_POST => true,
                CURLOPT_POSTFIELDS => $body,
                CURLOPT_HTTPHEADER => $headers,
                CURLOPT_RETURNTRANSFER => true,
                CURLOPT_CONNECTTIMEOUT => 3,
                CURLOPT_TIMEOUT => self::TIMEOUT,
            ));
            $out = curl_exec($c);
            $code = (int) curl_getinfo($c, CURLINFO_RESPONSE_CODE);
            $err = curl_error($c);
            curl_close($c);
            if ($out === false)
                return array('central unreachable: ' . $err, false);
        } else {
            $ctx = stream_context_create(array('http' => array(
                'method' => 'POST', 'header' => implode("\r\n", $headers), 'content' => $body,
                'timeout' => self::TIMEOUT, 'ignore_errors' => true)));
            $out = @file_get_contents($url, false, $ctx);
            if ($out === false)
                return array('central unreachable', false);
            $code = preg_match('#^HTTP/\S+ (\d+)#', $http_response_header[0] ?? '', $m) ? (int) $m[1] : 0;
        }
        if ($code >= 200 && $code < 300)
            return array(null, true);
        $final = $code >= 400 && $code < 500 && !in_array($code, array(401, 403, 408, 409, 429));
        return array('central answered ' . $code . ': ' . substr((string) $out, 0, 200), $final);
    }

    static function log($title, $msg) {
        global $ost;
        if ($ost)
            $ost->logWarning($title, $msg, false);
    }
}
