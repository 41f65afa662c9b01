// What a topic's screen says (its guides and usual causes).
// Typed as a record over every `Lang`: a missing language or a missing string is a type error.
import type { BuiltinCheck, Lang } from '../../lib/bindings';

export interface TopicStrings {
  beforeTicket: string;
  usualCauses: string;
  guideOpenFailed: (url: string) => string;
  chamadoChecks: string;
  builtinChecks: Record<Exclude<BuiltinCheck, 'program'>, string>;
}

export const STRINGS: Record<Lang, TopicStrings> = {
  'pt-BR': {
    beforeTicket: 'Antes de abrir um chamado',
    usualCauses: 'Causas mais comuns',
    guideOpenFailed: (url) => `Não foi possível abrir o navegador. Endereço: ${url}`,
    chamadoChecks: 'O Chamado verifica:',
    builtinChecks: {
      network: 'Rede e cabos',
      proxy: 'Proxy',
      antivirus: 'Antivírus',
      firewall: 'Firewall',
      'recent-software': 'Programas instalados recentemente',
    },
  },
  en: {
    beforeTicket: 'Before opening a ticket',
    usualCauses: 'Usual causes',
    guideOpenFailed: (url) => `The browser could not be opened. Address: ${url}`,
    chamadoChecks: 'Chamado checks:',
    builtinChecks: {
      network: 'Network and cables',
      proxy: 'Proxy',
      antivirus: 'Antivirus',
      firewall: 'Firewall',
      'recent-software': 'Recently installed programs',
    },
  },
};
