import type { BuiltinCheck, Lang, ProfileView } from '../../lib/bindings';
import { tr } from '../../lib/i18n';
import { STRINGS } from './strings';

const BUILTIN: readonly BuiltinCheck[] = ['network', 'proxy', 'antivirus', 'firewall', 'recent-software', 'program'];

function isBuiltin(id: string): id is BuiltinCheck {
  return (BUILTIN as readonly string[]).includes(id);
}

/** The human label of a check named in a checklist item. */
export function checkLabel(id: string, profile: ProfileView, lang: Lang): string {
  const own = profile.checks.find((c) => c.id === id);
  if (own) return tr(own.label, lang);
  if (isBuiltin(id)) {
    return id === 'program' ? profile.branding.product : STRINGS[lang].builtinChecks[id];
  }
  return id;
}
