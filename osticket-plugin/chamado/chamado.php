<?php
/*
 * Chamado plugin for osTicket 1.17 / 1.18.
 *
 * bootstrap() (run on every request for the enabled instance) registers the API routes under
 * /api/tickets/chamado/ (osTicket's stock nginx and Apache rules send /api/tickets… to api/http.php)
 * and the signals that queue events for central. The work is in api.php (routes), store.php (the
 * plugin's tables) and events.php (the signed, retried calls to central).
 */
require_once INCLUDE_DIR . 'class.plugin.php';
require_once __DIR__ . '/config.php';
require_once __DIR__ . '/store.php';
require_once __DIR__ . '/body.php';
require_once __DIR__ . '/events.php';
require_once __DIR__ . '/api.php';

class ChamadoPlugin extends Plugin {
    var $config_class = 'ChamadoPluginConfig';

    // One instance: two would register the routes and queue each event twice.
    function isMultiInstance() {
        return false;
    }

    function bootstrap() {
        // osTicket clears the plugin's config after bootstrap: keep this instance's.
        $config = $this->getConfig();
        ChamadoEvents::$config = $config;

        Signal::connect('api', function ($dispatcher) {
            $dispatcher->append(url_post('^/tickets/chamado/create\.json$', function () {
                (new ChamadoApi())->run('create');
            }));
            $dispatcher->append(url_post('^/tickets/chamado/message\.json$', function () {
                (new ChamadoApi())->run('message');
            }));
            $dispatcher->append(url_get('^/tickets/chamado/ticket\.json$', function () {
                (new ChamadoApi())->run('ticket');
            }));
            // Anything else under the plugin's prefix: a JSON error rather than osTicket's text.
            $dispatcher->append(url('^/tickets/chamado/', function () {
                ChamadoApi::send(404, array('error' => array('code' => 'not_found',
                    'message' => 'Unknown Chamado API route or method')), false);
                exit();
            }));
        });

        // An analyst's reply on a Chamado ticket.
        Signal::connect('threadentry.created', array('ChamadoEvents', 'onThreadEntry'));
        // A Chamado ticket's status changed (Ticket::setStatus saves the ticket: model.updated with
        // the changed columns' old values in $data['dirty']).
        Signal::connect('model.updated', array('ChamadoEvents', 'onTicketUpdated'), 'Ticket');
        // While the plugin creates a ticket or a message, the new row's id is recorded as soon as
        // it exists (the exactly-once bookkeeping; see ChamadoStore::inFlight).
        Signal::connect('model.created', array('ChamadoStore', 'onModelCreated'));
        // osTicket's cron (api/cron.php, /api/tasks/cron or the staff panel's autocron): retries.
        Signal::connect('cron', function () {
            ChamadoEvents::flush(true);
        });
    }
}
