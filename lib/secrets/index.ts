export { findSasToken, hasSasToken, redactSasToken, trailingTokenStart, isWholeToken, type SasMatch } from "./sas.js";
export {
  nameWords,
  isSasName,
  isSasMemberName,
  isArtifactsSasTokenName,
  isSecretName,
  isUserNameKey,
  isPasswordKey,
  isPrivateSettingsRef,
} from "./names.js";
export { Flow, ANY, type Atom } from "./flow.js";
export {
  secretAnalysis,
  SecretAnalysis,
  atomText,
  tokenKeyProperties,
  urlValues,
  directParameters,
  TOKEN_KEYS,
  type TokenKey,
  type SasFeed,
} from "./analysis.js";
export { splitUrl, jsonTextOf, parseFormat, type UrlSplit, type Hop } from "./split.js";
export { variableUses, parameterUses, readersOf, readersOfWritten, declarationOf, type VariableUses } from "./usage.js";
export { insertAtPath, moveToPath, protectedRoot, protectedPointer, hasNearbyComment } from "./fix.js";
export { legacyArgumentsPath, SecretCheck } from "./check.js";
