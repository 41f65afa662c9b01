import { describe, expect, it } from 'vitest';
import type { Guide } from '../../lib/bindings';
import { guidesShown } from './guides';

const guide = (pt: string, text?: string): Guide => ({
  title: { 'pt-BR': pt, en: pt },
  url: text ? null : 'https://suporte.exemplo.com.br/x',
  text: text ? { 'pt-BR': text, en: text } : null,
});

const guides = [
  guide('Como emitir a nota'),
  guide('Backup'),
  guide('Senha'),
  guide('Impressão de boletos', 'Configure a impressora padrão'),
  guide('Certificado digital vencido'),
];

describe('guides on show', () => {
  it('shows the first three; searching with the problem’s words finds the others, accents or not', () => {
    expect(guidesShown(guides, '', false).map((g) => g.index)).toEqual([0, 1, 2]);
    expect(guidesShown(guides, 'impressao', false).map((g) => g.index)).toEqual([0, 1, 2, 3]);
    expect(guidesShown(guides, 'IMPRESSORA padrão', false).map((g) => g.index)).toEqual([0, 1, 2, 3]);
    expect(guidesShown(guides, 'certificado vencido', false).map((g) => g.index)).toEqual([0, 1, 2, 4]);
    expect(guidesShown(guides, 'certificado impressora', false).map((g) => g.index)).toEqual([0, 1, 2]);
  });

  it('"Ver todas" lists every guide with its own index', () => {
    expect(guidesShown(guides, '', true).map((g) => g.index)).toEqual([0, 1, 2, 3, 4]);
  });
});
