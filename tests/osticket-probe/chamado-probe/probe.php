<?php
require_once INCLUDE_DIR . 'class.plugin.php';
class ChamadoProbeConfig extends PluginConfig {
    function getOptions() {
        return array('central_url' => new TextboxField(array(
            'label' => 'Central', 'required' => true, 'configuration' => array('size' => 60, 'length' => 200))));
    }
}
class ChamadoProbePlugin extends Plugin {
    var $config_class = 'ChamadoProbeConfig';
    function bootstrap() {
        $config = $this->getConfig();
        Signal::connect('api', function ($dispatcher) use ($config) {
            $dispatcher->append(url_get('^/tickets/chamado-probe$', function () use ($config) {
                header('Content-Type: text/plain');
                echo 'probe ' . $config->get('central_url');
            }));
        });
    }
}
