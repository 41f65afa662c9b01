<?php
require_once INCLUDE_DIR . 'class.plugin.php';

class ChamadoPluginConfig extends PluginConfig {
    function getOptions() {
        return array(
            'central_url' => new TextboxField(array(
                'label' => 'Chamado central URL',
                'hint' => 'Base URL of chamado-central, e.g. https://chamado.example.com; events go to {url}/v1/osticket/events',
                'required' => true,
                'configuration' => array('size' => 60, 'length' => 300),
            )),
            'secret' => new PasswordField(array(
                'label' => 'Shared secret',
                'hint' => 'Signs the calls to central (HMAC-SHA256); the same value as central\'s configuration',
                'required' => true,
                'validator' => 'noop',
                'configuration' => array('size' => 60, 'length' => 200, 'key' => 'chamado'),
            )),
        );
    }

    function pre_save(&$config, &$errors) {
        $url = trim($config['central_url'] ?? '');
        if ($url && !preg_match('#^https?://[^\s/]+#i', $url))
            $errors['err'] = 'Chamado central URL: expected http:// or https:// followed by a host';
        return !$errors;
    }
}
