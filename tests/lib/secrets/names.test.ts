import { test } from "node:test";
import assert from "node:assert/strict";
import { assertClassifies } from "../../helpers/predicate.js";
import {
  isArtifactsSasTokenName,
  isPrivateSettingsRef,
  isSasName,
  isSecretName,
  nameWords,
} from "../../../lib/secrets/names.js";

test("splits identifiers into words", () => {
  assert.deepEqual(nameWords("adminPassword"), ["admin", "password"]);
  assert.deepEqual(nameWords("_artifactsLocationSasToken"), ["artifacts", "location", "sas", "token"]);
  assert.deepEqual(nameWords("SASToken"), ["sas", "token"]);
  assert.deepEqual(nameWords("storage-account_key2"), ["storage", "account", "key", "2"]);
  assert.deepEqual(nameWords("VM1Name"), ["vm", "1", "name"]);
  assert.deepEqual(nameWords(""), []);
});

test("SAS parameter names", () => {
  assertClassifies(
    isSasName,
    ["_artifactsLocationSasToken", "sasToken", "storageSas", "SAS", "artifacts_sas", "containersastoken", "ExchangeSASUrl", "EXCHANGESASURL", "exchangesasuri",
      // acronyms run together
      "ExchangeSASURL", "BlobSASURI", "SQLSASUrl"],
    ["disasterRecovery", "kansasCity", "vmssName", "_artifactsLocation", "DISASTERRECOVERY", "disasterurl", "kansasUrl", "storagesas", "DisasterUrl",
      // SQL Server Analysis Services, and a run of capitals before another word
      "SSASInstanceName", "SSASSvcPassword", "SSASUrl", "KANSAS_CITY", "KANSASCity"],
  );
  assert.ok(isArtifactsSasTokenName("_ARTIFACTSLOCATIONSASTOKEN"));
  assert.ok(!isArtifactsSasTokenName("artifactsLocationSasToken"));
});

test("secret names", () => {
  assertClassifies(
    isSecretName,
    [
      "password",
      "adminPassword",
      "DomainAdminCreds",
      "backendCertPw",
      "RegistrationKey",
      "storageAccountKey",
      "clientSecret",
      "apiToken",
      "sqlCredential",
      "adminpassword",
      "pwd",
      // one-case compounds, by their ending (PowerShell parameter names are case-insensitive)
      "storagekey",
      "STORAGEKEY",
      "registrationinfotoken",
      "domainadminpwd",
      "apikey",
      "admincreds",
      "ADMINCREDS",
      // the same names, their words run together in another case
      "passPhrase",
      "PassPhrase",
      "passphrase",
      "DomainAdminpassword",
      "StorageAccountkey",
      "ServiceAccountpwd",
      "DomainPassWords",
      "certPassPhrases",
    ],
    [
      "nodeName",
      "RegistrationUrl",
      "keyVaultName",
      "keyVaultId",
      "secretUri",
      "passwordLength",
      "publicKey",
      "KeyVault",
      "userName",
      "monkeyBusiness",
      "tokenType",
      "monkey",
      "keyvaultname",
      "secreturl",
      "TOKENTYPE",
      "sshpublickey",
      // public facts about a secret
      "TokenSigningCertThumbprint",
      "TokenIssuer",
      "SecretRotationSchedule",
      "ServiceAccountCredentialDomain",
      "passwordpolicy",
      "PasswordPolicy",
      "StorageAccountkeyName",
      "enableTurnkey",
      "sacred",
      // a secret word across a word's edge, or as what a name lacks
      "secRetention",
      "compassWord",
      "bypassWord",
      "PasswordlessLogin",
      "EnableHotkey",
      "DisableHotkeys",
      "monkeys",
      // the same, split by a capital
      "PasswordLessLogin",
      "SecretLess",
      "PwdLessMode",
      "CredsLess",
      "HotKey",
      "hotKeys",
      "MonKey",
      "",
    ],
  );
});

test("PrivateSettingsRef references", () => {
  assert.ok(isPrivateSettingsRef("PrivateSettingsRef:AdminPassword"));
  assert.ok(isPrivateSettingsRef("privatesettingsref:x"));
  assert.ok(!isPrivateSettingsRef("PrivateSettingsRef:"));
  assert.ok(!isPrivateSettingsRef("[parameters('adminPassword')]"));
});
