<?php
return array(
    'id' => 'chamado:probe',
    'version' => '0.1',
    'name' => 'Chamado probe',
    'author' => 'Chamado',
    'description' => 'Answers /api/tickets/chamado-probe with its configuration.',
    'plugin' => 'probe.php:ChamadoProbePlugin',
);
