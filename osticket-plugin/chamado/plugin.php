<?php
// osTicket plugin manifest (osTicket 1.17 and 1.18): Manage > Plugins > Add New Plugin.
return array(
    'id' => 'chamado:osticket',
    'version' => '0.1.0',
    'ost_version' => '1.17',
    'name' => 'Chamado',
    'author' => 'Chamado',
    'description' => 'API for Chamado: tickets created exactly once by reference, customer messages, '
        . 'status and public thread; tells Chamado central when an analyst replies or a status changes.',
    'url' => 'https://github.com/',
    'plugin' => 'chamado.php:ChamadoPlugin',
);
