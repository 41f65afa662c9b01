// "Mostre para nós" without the screen: how a refused file and a remote-access ID are written.
import type { AttachmentRefusal, Lang, RemoteId, RemoteVendor } from '../../lib/bindings';
import { size } from '../../lib/i18n';
import { STRINGS } from './strings';

/** What the user reads about a refused file, naming it, sizes in the user's units ("2 MB"). */
export function refusalText(r: AttachmentRefusal, lang: Lang): string {
  return STRINGS[lang].refusals[r.problem](r.name, size(r.size, lang), size(r.limit, lang));
}

/** A file's size as the list shows it: a small file is "1 KB", never "0 KB". */
export function fileSize(bytes: number, lang: Lang): string {
  return size(bytes > 0 && bytes < 1024 ? 1024 : bytes, lang);
}

const PROGRAMS: Record<RemoteVendor, string> = { anydesk: 'AnyDesk', teamviewer: 'TeamViewer', rustdesk: 'RustDesk' };

export function programName(v: RemoteVendor): string {
  return PROGRAMS[v];
}

/** An ID as the programs show it: digits in groups of three from the right (`1 234 567 890`). */
export function groupedId(id: string): string {
  if (!/^\d+$/.test(id)) return id;
  return id.replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}

export function sameId(a: RemoteId | null, b: RemoteId): boolean {
  return a !== null && a.vendor === b.vendor && a.id === b.id;
}
