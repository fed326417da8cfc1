// The languages the generated rules, board and runbook links are written in: English, the
// default, and Simplified Chinese for the sites this exporter is for (issue 37).
export const LANGS = ['en', 'zh-CN'] as const;
export type Lang = (typeof LANGS)[number];

/** What a generated file's name carries for a language: nothing for English. */
export function langSuffix(lang: Lang): string {
  return lang === 'en' ? '' : `.${lang}`;
}
