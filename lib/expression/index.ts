export { tokenize, isIdentifierName, isNumberLiteral, type Token, type TokenType, type TokenizeResult } from "./lexer.js";
export {
  parseTemplateString,
  parseExpression,
  isExpressionString,
  walkExpr,
  callName,
  MAX_NESTING,
  type Expr,
  type ParsedString,
  type ParseExpressionResult,
} from "./parser.js";
export { parseCached, parseStringNode, startParseCacheFile, stringNodeValue, type StringNode } from "./cache.js";
export { closedForm, hasCall, isAlmostExpression, isTemplateCall, malformedReason, writtenWrong, type ClosedForm } from "./almost.js";
export { printExpr, printTemplateString, quoteString } from "./printer.js";
export {
  evaluateString,
  evaluateNode,
  evaluateExpr,
  emptyProvenance,
  isTemplateFunction,
  functionScope,
  describeValue,
  previewValue,
  reasonText,
  type JsonValue,
  type Provenance,
  type UnknownReason,
  type Value,
  type ParameterDecl,
  type SuppliedValue,
  type EvalScope,
  type UserFunction,
} from "./evaluate.js";
export {
  IDENTIFIER_FUNCTIONS,
  BOOLEAN_FUNCTIONS,
  NUMBER_FUNCTIONS,
  TEXT_FUNCTIONS,
  ARRAY_FUNCTIONS,
  TIME_FUNCTIONS,
  DEPLOYMENT_FUNCTIONS,
  resultCarriesArguments,
  resultIsNeverObject,
  resultIsNeverSecret,
} from "./functions.js";
export {
  isJsonNode,
  writtenValues,
  type Budget,
  type ConditionEvaluator,
  type Hop,
  type Segment,
  type WrittenValue,
  type WrittenValues,
} from "./written.js";
