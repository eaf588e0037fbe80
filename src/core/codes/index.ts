export { decodeText } from './decode';
export { formatCodeList, type CodeListLayout } from './format';
export { normaliseCode, formatOf, CODE_SEPARATORS } from './normalise';
export {
  parseBackupCodes,
  requireCodes,
  type ParseOptions,
  type ParseResult,
  type ParsedCode,
} from './parse';
