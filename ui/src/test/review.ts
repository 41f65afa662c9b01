// A prepared bundle as Rust answers it (`BundleReview`), and a fake Rust side that keeps one and
// applies the switches the way `chamado_bundle` does (a required item refused, the total and the
// proposal recomputed). Tests and `npm run dev` answer with it.
import type { AppError, BundleReview, CollectProgress, ReviewItem, ReviewPurpose } from '../lib/bindings';

type Args = Record<string, unknown>;

export function item(id: string, over: Partial<ReviewItem> = {}): ReviewItem {
  return {
    id,
    kind: 'log',
    path: `logs/${id}.txt`,
    part_of: null,
    label: id,
    required: false,
    included: true,
    size: 1000,
    packed_size: 1000,
    preview: { type: 'text', text: `conteúdo de ${id}`, truncated: false },
    ...over,
  };
}

/** The items of a small ticket bundle: the report (required), a screenshot, a log, a probe, a field. */
export function items(): ReviewItem[] {
  return [
    item('report-1', { kind: 'report', path: 'report.html', label: 'Relatório de diagnóstico', required: true, packed_size: 200 * 1024, preview: { type: 'none' } }),
    item('screenshot-1', {
      kind: 'screenshot',
      path: 'screenshots/tela-1.webp',
      label: 'tela-1.webp',
      packed_size: 1258291,
      preview: { type: 'image', mime: 'image/webp', base64: 'UklGRg==' },
    }),
    item('log-1', { label: 'sistema.log', packed_size: 300 * 1024, preview: { type: 'text', text: 'usuário [usuário-1] entrou', truncated: true } }),
    item('probe-software', { kind: 'probe', path: 'diagnostics.json#software', part_of: 'diagnostics.json', label: 'Programas instalados', packed_size: 5000 }),
    item('field-contact.phone', { kind: 'field', path: 'ticket#contact.phone', part_of: 'ticket', label: 'contact.phone', packed_size: 40 }),
  ];
}

const OVERHEAD = 2000;

/** The review of `list` against `budget`, as Rust computes it (largest optional files first). */
export function reviewOf(list: ReviewItem[], budget = 1024 * 1024, purpose: ReviewPurpose = 'ticket', sendOver = false): BundleReview {
  const total = list.filter((i) => i.included && i.part_of === null).reduce((n, i) => n + i.packed_size, OVERHEAD);
  const proposal: string[] = [];
  if (total > budget) {
    let left = total;
    for (const i of [...list].filter((x) => x.included && !x.required && x.part_of === null).sort((a, b) => b.packed_size - a.packed_size)) {
      if (left <= budget) break;
      left -= i.packed_size;
      proposal.push(i.id);
    }
  }
  return {
    purpose,
    review: { items: list, total_bytes: total, budget_bytes: budget, over_budget: total > budget, proposal },
    redacted: [
      { kind: 'user_name', replaced: 3, distinct: 1 },
      { kind: 'email', replaced: 1, distinct: 1 },
    ],
    send_over_budget: sendOver,
  };
}

export type ReviewSide = {
  items: ReviewItem[];
  budget: number;
  sendOver: boolean;
  purpose: ReviewPurpose;
  calls: { cmd: string; args: Args }[];
  /** Progress told on a collection's channel before it answers. */
  progress: CollectProgress[];
  handlers: Record<string, (args: Args) => unknown>;
};

function progressOf(args: Args): (p: CollectProgress) => void {
  const channel = (args as { progress?: { id: number } }).progress;
  let index = 0;
  return (message) => {
    if (!channel) return;
    const internals = (window as unknown as { __TAURI_INTERNALS__: { runCallback: (id: number, data: unknown) => void } })
      .__TAURI_INTERNALS__;
    internals.runCallback(channel.id, { index: index++, message });
  };
}

export function reviewSide(over: Partial<Pick<ReviewSide, 'items' | 'budget'>> = {}): ReviewSide {
  const side: ReviewSide = {
    items: over.items ?? items(),
    budget: over.budget ?? 1024 * 1024,
    sendOver: false,
    purpose: 'ticket',
    calls: [],
    progress: [{ done: 3, total: 10 }, { done: 10, total: 10 }],
    handlers: {},
  };
  const now = () => reviewOf(side.items, side.budget, side.purpose, side.sendOver);
  const prepare = (purpose: ReviewPurpose) => (a: Args) => {
    side.calls.push({ cmd: `prepare_${purpose}`, args: a });
    side.purpose = purpose;
    const tell = progressOf(a);
    for (const p of side.progress) tell(p);
    return now();
  };
  side.handlers = {
    prepare_ticket_review: prepare('ticket'),
    prepare_technician_review: prepare('technician'),
    prepare_follow_up_review: prepare('follow_up'),
    bundle_review: () => now(),
    set_review_item: (a) => {
      side.calls.push({ cmd: 'set_review_item', args: a });
      const found = side.items.find((i) => i.id === a.id);
      if (!found || (found.required && a.included === false)) {
        const e: AppError = { code: 'invalid', message: 'required', field: 'item', problem: null };
        throw e;
      }
      found.included = a.included as boolean;
      return now();
    },
    send_over_budget: (a) => {
      side.calls.push({ cmd: 'send_over_budget', args: a });
      side.sendOver = a.confirmed as boolean;
      return now();
    },
    default_bundle_path: () => '/home/ana/Documentos/chamado-diagnostico.zip',
    save_review: (a) => {
      side.calls.push({ cmd: 'save_review', args: a });
      return a.path;
    },
    attach_review: (a) => {
      side.calls.push({ cmd: 'attach_review', args: a });
      return 'entry-tech';
    },
    add_information_with_review: (a) => {
      side.calls.push({ cmd: 'add_information_with_review', args: a });
      return 'entry-info';
    },
  };
  return side;
}
