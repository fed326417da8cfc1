// What an alert says to the person it reaches, per language: summary and description of every
// alert. Each language is one file with every alert (the type makes a missing one an error).
import type { AlertTexts } from './alert-text-input.js';
import { EN_ALERTS } from './alert-texts-en.js';
import { ZH_CN_ALERTS } from './alert-texts-zh-CN.js';
import type { Lang } from './lang.js';

export const ALERT_TEXTS: Readonly<Record<Lang, AlertTexts>> = {
  en: EN_ALERTS,
  'zh-CN': ZH_CN_ALERTS,
};
