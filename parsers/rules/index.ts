/** Every validation rule, in the order their findings are listed. */
import type { Rule } from '../../src/validate/engine.js';
import { factsRule, tablesRule, sectionsRule } from './completeness.js';
import type { CheckContext } from './context.js';
import { crossClassRule, crossTableRule, lineItemLevelRule, proseInconsistentRule, proseLineItemRule, proseTableRule } from './cross.js';
import { identityRules, smeRule } from './identities.js';
import { blankRule, templateRule } from './placeholders.js';
import { changeRule, completionRule, shareRule, wordingSignRule } from './recompute.js';
import { columnsRule, hierarchyRule, tableTotalRule } from './table-sums.js';
import { yearPlaceholderRule, yearRule } from './year.js';
import { chartRule, economicRule, narrativeItemsRule, tableBlankRule } from './more.js';
import { ocrBareIntegerRule, ocrConfidenceRule, ocrUnreadableRule } from './ocr.js';

export const RULES: Array<Rule<CheckContext>> = [
  ...identityRules,
  smeRule,
  tableTotalRule,
  hierarchyRule,
  columnsRule,
  economicRule,
  narrativeItemsRule,
  crossTableRule,
  crossClassRule,
  proseTableRule,
  proseInconsistentRule,
  proseLineItemRule,
  lineItemLevelRule,
  tableBlankRule,
  chartRule,
  shareRule,
  changeRule,
  completionRule,
  wordingSignRule,
  yearRule,
  yearPlaceholderRule,
  blankRule,
  templateRule,
  tablesRule,
  sectionsRule,
  factsRule,
  ocrConfidenceRule,
  ocrUnreadableRule,
  ocrBareIntegerRule,
];
