// What the screenshot step says (Capture.svelte, ScreenEditor.svelte).
// Typed as a record over every `Lang`: a missing language or a missing string is a type error.
import type { CaptureErrorCode, Lang, RectProblem } from '../../lib/bindings';

export interface CaptureStrings {
  heading: string;
  intro: string;
  button: string;
  again: string;
  countdown: (n: number) => string;
  countdownHint: string;
  cancel: string;
  capturing: string;
  captured: (n: number) => string;
  errors: Record<CaptureErrorCode, string>;
  monitorFailed: (monitor: string, message: string) => string;
  busy: string;
  storage: string;
  gone: string;
  detail: string;
  blank: string;
  shotLabel: (n: number, monitor: string) => string;
  size: (w: number, h: number, bytes: number) => string;
  edited: string;
  edit: string;
  remove: string;
  // editor
  editorTitle: (n: number) => string;
  editorHelp: string;
  modeGroup: string;
  modeHide: string;
  modeHighlight: string;
  modeCrop: string;
  addBox: string;
  addHighlight: string;
  highlightLabel: (n: number) => string;
  removeHighlight: (n: number) => string;
  addCrop: string;
  boxLabel: (n: number) => string;
  boxKeys: string;
  removeBox: (n: number) => string;
  cropLabel: string;
  removeCrop: string;
  clearAll: string;
  apply: string;
  applying: string;
  close: string;
  resultTitle: string;
  resultHelp: string;
  editAgain: string;
  done: string;
  loadingImage: string;
  rectProblems: Record<RectProblem, string>;
  rejected: (field: string, problem: string) => string;
}

function kib(bytes: number): string {
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

export const STRINGS: Record<Lang, CaptureStrings> = {
  'pt-BR': {
    heading: 'Captura de tela',
    intro:
      'Deixe aberta a tela do sistema com o erro. O Chamado se esconde por um instante, fotografa a tela e volta.',
    button: 'Capturar a tela',
    again: 'Capturar de novo',
    countdown: (n) => `Capturando em ${n}…`,
    countdownHint: 'Mostre agora a janela com o erro. O Chamado vai se esconder durante a captura.',
    cancel: 'Cancelar',
    capturing: 'Capturando a tela…',
    captured: (n) => (n === 1 ? '1 tela capturada.' : `${n} telas capturadas.`),
    errors: {
      no_display:
        'Não há tela para capturar (o Chamado não está numa sessão gráfica). O chamado segue sem a captura de tela.',
      permission_denied:
        'O sistema não permitiu capturar a tela (tela protegida, bloqueada ou permissão negada). O chamado segue sem a captura de tela.',
      failed: 'Não foi possível capturar a tela. O chamado segue sem a captura de tela.',
    },
    monitorFailed: (monitor, message) => `Monitor ${monitor}: ${message}`,
    busy: 'Uma captura já está em andamento.',
    storage: 'Não foi possível guardar as capturas de tela no computador.',
    gone: 'Esta captura de tela não existe mais.',
    detail: 'Detalhe técnico:',
    blank:
      'Esta imagem saiu toda de uma cor: a tela pode estar bloqueada ou protegida. Confira antes de enviar.',
    shotLabel: (n, monitor) => `Tela ${n}${monitor ? ` (${monitor})` : ''}`,
    size: (w, h, bytes) => `${w}×${h} · ${kib(bytes)}`,
    edited: 'editada',
    edit: 'Ocultar, destacar ou recortar',
    remove: 'Remover',
    editorTitle: (n) => `Editar a tela ${n}`,
    editorHelp:
      'Arraste sobre a imagem para cobrir com uma tarja preta o que não deve ser enviado (dados de clientes, senhas). Com “Destacar”, arraste para contornar em vermelho o que o suporte deve ver; com “Recortar”, para manter só uma parte.',
    modeGroup: 'O que fazer ao arrastar',
    modeHide: 'Ocultar',
    modeHighlight: 'Destacar',
    modeCrop: 'Recortar',
    addBox: 'Adicionar tarja',
    addHighlight: 'Adicionar destaque',
    highlightLabel: (n) => `Destaque ${n}`,
    removeHighlight: (n) => `Remover o destaque ${n}`,
    addCrop: 'Adicionar recorte',
    boxLabel: (n) => `Tarja ${n}`,
    boxKeys: 'Setas movem; Shift + setas mudam o tamanho; Delete remove.',
    removeBox: (n) => `Remover a tarja ${n}`,
    cropLabel: 'Recorte',
    removeCrop: 'Desfazer o recorte',
    clearAll: 'Limpar tudo',
    apply: 'Aplicar',
    applying: 'Aplicando…',
    close: 'Fechar',
    resultTitle: 'Assim a imagem será enviada',
    resultHelp:
      'As tarjas, os destaques e o recorte foram aplicados na própria imagem: o que ficou coberto não pode ser recuperado.',
    editAgain: 'Editar de novo',
    done: 'Concluir',
    loadingImage: 'Carregando a imagem…',
    rectProblems: {
      empty: 'a área selecionada está vazia',
      outside_image: 'a área selecionada está fora da imagem',
    },
    rejected: (field, problem) => `Não foi possível aplicar (${field}): ${problem}.`,
  },
  en: {
    heading: 'Screenshot',
    intro:
      'Leave the system’s screen with the error open. Chamado hides for a moment, takes a picture of the screen and comes back.',
    button: 'Capture the screen',
    again: 'Capture again',
    countdown: (n) => `Capturing in ${n}…`,
    countdownHint: 'Show the window with the error now. Chamado will hide during the capture.',
    cancel: 'Cancel',
    capturing: 'Capturing the screen…',
    captured: (n) => (n === 1 ? '1 screen captured.' : `${n} screens captured.`),
    errors: {
      no_display:
        'There is no screen to capture (Chamado is not running in a graphical session). The ticket goes on without the screenshot.',
      permission_denied:
        'The system did not allow the screen to be captured (a protected or locked screen, or permission denied). The ticket goes on without the screenshot.',
      failed: 'The screen could not be captured. The ticket goes on without the screenshot.',
    },
    monitorFailed: (monitor, message) => `Monitor ${monitor}: ${message}`,
    busy: 'A capture is already under way.',
    storage: 'The screenshots could not be saved on this computer.',
    gone: 'This screenshot no longer exists.',
    detail: 'Technical detail:',
    blank: 'This image came out all one colour: the screen may be locked or protected. Check it before sending.',
    shotLabel: (n, monitor) => `Screen ${n}${monitor ? ` (${monitor})` : ''}`,
    size: (w, h, bytes) => `${w}×${h} · ${kib(bytes)}`,
    edited: 'edited',
    edit: 'Hide, highlight or crop',
    remove: 'Remove',
    editorTitle: (n) => `Edit screen ${n}`,
    editorHelp:
      'Drag over the image to cover with a black box what must not be sent (customers’ data, passwords). With “Highlight”, drag to outline in red what support should look at; with “Crop”, to keep only a part.',
    modeGroup: 'What dragging does',
    modeHide: 'Hide',
    modeHighlight: 'Highlight',
    modeCrop: 'Crop',
    addBox: 'Add a box',
    addHighlight: 'Add a highlight',
    highlightLabel: (n) => `Highlight ${n}`,
    removeHighlight: (n) => `Remove highlight ${n}`,
    addCrop: 'Add a crop',
    boxLabel: (n) => `Box ${n}`,
    boxKeys: 'Arrows move; Shift + arrows resize; Delete removes.',
    removeBox: (n) => `Remove box ${n}`,
    cropLabel: 'Crop',
    removeCrop: 'Undo the crop',
    clearAll: 'Clear all',
    apply: 'Apply',
    applying: 'Applying…',
    close: 'Close',
    resultTitle: 'This is the image that will be sent',
    resultHelp: 'The boxes, highlights and crop were applied to the image itself: what was covered cannot be recovered.',
    editAgain: 'Edit again',
    done: 'Done',
    loadingImage: 'Loading the image…',
    rectProblems: {
      empty: 'the selected area is empty',
      outside_image: 'the selected area is outside the image',
    },
    rejected: (field, problem) => `Could not apply (${field}): ${problem}.`,
  },
};
