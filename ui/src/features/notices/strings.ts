// What the vendor's notices and the update help say.
// Typed as a record over every `Lang`: a missing language or a missing string is a type error.
import type { Lang } from '../../lib/bindings';

export interface NoticeStrings {
  /** The notification banner's heading. */
  heading: string;
  /** Central did not answer now: the notices are the last ones received, on `when`. */
  fromCache: (when: string) => string;
  update: {
    title: string;
    installed: string;
    latest: string;
    unknown: string;
    notPublished: string;
    upToDate: string;
    outdated: (latest: string) => string;
    runningTitle: (n: number) => string;
    runningText: string;
    runningPid: (pid: number) => string;
    checkAgain: string;
    checking: string;
  };
}

export const STRINGS: Record<Lang, NoticeStrings> = {
  'pt-BR': {
    heading: 'Aviso',
    fromCache: (when) => `Sem conexão com o servidor agora: estes avisos foram recebidos em ${when}.`,
    update: {
      title: 'Sua versão do sistema',
      installed: 'Instalada neste computador',
      latest: 'Mais recente',
      unknown: 'Não foi possível descobrir',
      notPublished: 'Ainda não informada pelo fornecedor',
      upToDate: 'Este computador já tem a versão mais recente.',
      outdated: (latest) => `Há uma versão mais nova: ${latest}.`,
      runningTitle: (n) =>
        n === 1 ? 'Feche o sistema antes de atualizar' : `Feche as ${n} janelas do sistema antes de atualizar`,
      runningText: 'A atualização não funciona com o sistema aberto. Salve o que estiver fazendo e feche:',
      runningPid: (pid) => `processo ${pid}`,
      checkAgain: 'Verificar de novo',
      checking: 'Verificando…',
    },
  },
  en: {
    heading: 'Notice',
    fromCache: (when) => `No connection to the server now: these notices were received on ${when}.`,
    update: {
      title: 'Your version of the system',
      installed: 'Installed on this computer',
      latest: 'Latest',
      unknown: 'Could not be found',
      notPublished: 'Not announced by the vendor yet',
      upToDate: 'This computer has the latest version.',
      outdated: (latest) => `A newer version is out: ${latest}.`,
      runningTitle: (n) => (n === 1 ? 'Close the system before updating' : `Close the system's ${n} windows before updating`),
      runningText: 'The update does not work while the system is open. Save your work and close:',
      runningPid: (pid) => `process ${pid}`,
      checkAgain: 'Check again',
      checking: 'Checking…',
    },
  },
};
