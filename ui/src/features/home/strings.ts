// What Home says.
// Typed as a record over every `Lang`: a missing language or a missing string is a type error.
import type { Lang } from '../../lib/bindings';

export interface HomeStrings {
  greeting: string;
  chooseHelp: string;
  topicsLabel: string;
  supportPhone: string;
  supportHours: string;
  ticketsNav: string;
  /** The buttons to the Fila and Meus chamados: their screens' titles. */
  openQueue: string;
  openHistory: string;
  /** The way to technician mode. */
  openTechnician: string;
}

export const STRINGS: Record<Lang, HomeStrings> = {
  'pt-BR': {
    greeting: 'Olá! Como podemos ajudar?',
    chooseHelp: 'Escolha o tipo de ajuda de que você precisa.',
    topicsLabel: 'Tipos de ajuda',
    supportPhone: 'Suporte:',
    supportHours: 'Atendimento:',
    ticketsNav: 'Seus chamados',
    openQueue: 'Fila de envio',
    openHistory: 'Meus chamados',
    openTechnician: 'Modo técnico',
  },
  en: {
    greeting: 'Hello! How can we help?',
    chooseHelp: 'Choose the kind of help you need.',
    topicsLabel: 'Kinds of help',
    supportPhone: 'Support:',
    supportHours: 'Hours:',
    ticketsNav: 'Your tickets',
    openQueue: 'Outbox',
    openHistory: 'My tickets',
    openTechnician: 'Technician mode',
  },
};
