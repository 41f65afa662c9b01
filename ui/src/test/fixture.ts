// A realistic vendor profile, shaped exactly like the JSON Rust sends.
import type { ProfileView, ProfileError, Startup } from '../lib/bindings';

const t = (pt: string, en: string) => ({ 'pt-BR': pt, en });

export function profile(): ProfileView {
  return {
    vendor: {
      name: 'Contábil Sistemas Ltda.',
      phone: '(11) 4002-8922',
      phone_note: t('ligação gratuita de telefone fixo', 'toll-free from landlines'),
      hours: t('segunda a sexta, das 8h às 18h', 'Monday to Friday, 8 am to 6 pm'),
      portal: 'https://suporte.contabil.example.com.br',
    },
    branding: { product: 'Gestão Fiscal', logo: 'logo.png', accent: '#1e6b3a' },
    central: { url: 'https://central.contabil.example.com.br' },
    topics: [
      {
        id: 'duvida',
        label: t('Dúvidas na operação', 'Questions about using the system'),
        description: t('Como fazer algo no sistema.', 'How to do something in the system.'),
        osticket_topic: 2,
        guides: [
          {
            title: t('Manual do usuário', 'User manual'),
            url: 'https://ajuda.contabil.example.com.br/manual',
            text: null,
          },
        ],
        checklist: [],
        fields: [],
        diagnostics: ['system'],
        screenshots: true,
        requirements: false,
      },
      {
        id: 'erro',
        label: t('Reportar erro', 'Report an error'),
        description: t('O sistema mostrou uma mensagem de erro ou fechou sozinho.', 'The system showed an error or closed by itself.'),
        osticket_topic: 3,
        guides: [
          {
            title: t('Erros conhecidos', 'Known errors'),
            url: 'https://ajuda.contabil.example.com.br/erros?v=5',
            text: null,
          },
          {
            title: t('Reinicie o computador', 'Restart the computer'),
            url: null,
            text: t(
              'Muitos erros somem depois de reiniciar o computador. Salve seu trabalho antes.',
              'Many errors go away after restarting the computer. Save your work first.',
            ),
          },
        ],
        checklist: [
          {
            text: t('O servidor da SEFAZ está fora do ar', 'The SEFAZ tax server is down'),
            checks: ['sefaz'],
          },
          {
            text: t('O computador está sem internet', 'The computer has no internet'),
            checks: ['network', 'proxy'],
          },
          {
            text: t('O antivírus bloqueou o sistema', 'The antivirus blocked the system'),
            checks: ['antivirus', 'firewall', 'program'],
          },
          {
            text: t('Um programa instalado há pouco atrapalha', 'A recently installed program interferes'),
            checks: ['recent-software'],
          },
          {
            text: t('O certificado digital venceu', 'The digital certificate expired'),
            checks: [],
          },
        ],
        fields: [
          {
            name: 'versao',
            label: t('Versão do sistema', 'System version'),
            kind: 'version',
            required: true,
            help: t('Aparece em Ajuda > Sobre.', 'Shown in Help > About.'),
            options: [],
          },
          {
            name: 'onde',
            label: t('Onde aconteceu', 'Where it happened'),
            kind: 'choice',
            required: true,
            help: null,
            options: [
              { value: 'servidor', label: t('No servidor', 'On the server') },
              { value: 'estacao', label: t('Em uma estação', 'On a workstation') },
            ],
          },
          {
            name: 'desde',
            label: t('Desde quando', 'Since when'),
            kind: 'date',
            required: false,
            help: null,
            options: [],
          },
          {
            name: 'mensagem',
            label: t('Mensagem de erro', 'Error message'),
            kind: 'multiline',
            required: false,
            help: t('Copie a mensagem como aparece na tela.', 'Copy the message as it appears on the screen.'),
            options: [],
          },
          {
            name: 'nota',
            label: t('Número da nota', 'Invoice number'),
            kind: 'text',
            required: false,
            help: null,
            options: [],
          },
        ],
        diagnostics: ['system', 'network', 'checks', 'antivirus', 'crashes', 'logs'],
        screenshots: true,
        requirements: false,
      },
      {
        id: 'atualizacao',
        label: t('Atualização de versão', 'Version update'),
        description: t('Atualizar o sistema para a versão mais nova.', 'Update the system to the newest version.'),
        osticket_topic: 4,
        guides: [],
        checklist: [],
        fields: [],
        diagnostics: ['program'],
        screenshots: false,
        requirements: false,
      },
      {
        id: 'instalacao',
        label: t('Instalação do sistema em novo computador', 'Installing the system on a new computer'),
        description: t('Levar o sistema para outro computador.', 'Move the system to another computer.'),
        osticket_topic: 5,
        guides: [],
        checklist: [],
        fields: [],
        diagnostics: ['hardware'],
        screenshots: false,
        requirements: false,
      },
      {
        id: 'outra',
        label: t('Outra solicitação', 'Other request'),
        description: t('Qualquer outro assunto.', 'Anything else.'),
        osticket_topic: 1,
        guides: [],
        checklist: [],
        fields: [],
        diagnostics: [],
        screenshots: true,
        requirements: false,
      },
    ],
    modules: [{ id: 'nfe', label: t('Nota fiscal eletrônica', 'Electronic invoice') }],
    checks: [
      {
        id: 'sefaz',
        label: t('Servidor da SEFAZ', 'SEFAZ tax server'),
        dns: 'nfe.fazenda.sp.gov.br',
        tcp: null,
        http: 'https://nfe.fazenda.sp.gov.br/ws/nfestatusservico4.asmx',
        expect_status: 200,
        expect_body: null,
        timeout_ms: 5000,
      },
    ],
    program: { display_name: 'Gestão Fiscal', exe: 'GestaoFiscal.exe', logs: ['C:\\GestaoFiscal\\logs'], timeout_ms: 3000 },
    bundle: { budget_kib: 1024, attachment_max_kib: 10240, attachments_total_max_kib: 20480 },
  };
}

// 1×1 transparent PNG
export const LOGO =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

export function ready(): Startup {
  return { status: 'ready', profile: profile(), source: { kind: 'installed', path: 'C:\\ProgramData\\Chamado\\perfil.toml' }, logo: LOGO };
}

export function profileError(): ProfileError {
  return {
    file: 'C:\\ProgramData\\Chamado\\perfil.toml',
    problems: [
      {
        line: 3,
        column: 9,
        path: 'vendor.phone',
        kind: { code: 'required' },
        message: t('Falta o telefone do suporte.', 'The support phone is missing.'),
      },
      {
        line: 17,
        column: null,
        path: 'topics[1].label',
        kind: { code: 'missing_translation', lang: 'en' },
        message: t('Falta a tradução em inglês.', 'The English translation is missing.'),
      },
      {
        line: null,
        column: null,
        path: 'branding.accent',
        kind: { code: 'bad_colour', value: 'verdinho' },
        message: t('“verdinho” não é uma cor.', '“verdinho” is not a colour.'),
      },
    ],
  };
}

export function broken(): Startup {
  return { status: 'broken', source: { kind: 'argument', path: 'perfil.toml' }, error: profileError() };
}
