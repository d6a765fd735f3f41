import { readFileSync } from "node:fs";
import rule from "../../rules/credentials-in-protected-settings.js";
import { runRuleTests } from "../helpers/tester.js";
import { dscConfigModule, dscScaleSet, dscVmExtension, nestedDeployment } from "../helpers/templates.js";
import { errorAt, oneError, PARAMETERS_SCHEMA } from "../helpers/at.js";

const PARAMETERS = `{
    "adminUser": { "type": "string" },
    "adminPassword": { "type": "secureString" },
    "plainPassword": { "type": "string", "defaultValue": "P@ss" },
    "_artifactsLocationSasToken": { "type": "secureString", "defaultValue": "" },
    "config": { "type": "secureObject", "defaultValue": {} },
    "isDomainAccount": { "type": "bool", "defaultValue": false },
    "passwordLength": { "type": "Int", "defaultValue": 24 }
  }`;

/** A template with one DSC extension in a scale set profile; `props` follows typeHandlerVersion. */
function dsc(props: string, { variables = "{}" }: { variables?: string } = {}): string {
  return dscScaleSet(['"typeHandlerVersion": "2.83"', props], { parameters: PARAMETERS, variables });
}

const on = { name: "dsc", parent: "scale set 'vmss1'" };
const examples = ["vm-dsc.json", "vmss-dsc.json"].map((f) => readFileSync(new URL(`../../examples/${f}`, import.meta.url), "utf8"));

const automation = dsc(`"settings": {
                    "configurationArguments": {
                      "RegistrationUrl": "[reference(resourceId('Microsoft.Automation/automationAccounts', 'aa'), '2023-11-01').registrationUrl]",
                      "NodeConfigurationName": "web.localhost",
                      "RebootNodeIfNeeded": true
                    }
                  },
                  "protectedSettings": {
                    "configurationArguments": {
                      "RegistrationKey": {
                        "userName": "NOT_USED",
                        "Password": "[listKeys(resourceId('Microsoft.Automation/automationAccounts', 'aa'), '2023-11-01').Keys[0].value]"
                      }
                    }
                  }`);

const legacyPrivateRef = dsc(`"settings": {
                    "ModulesUrl": "https://h/x.zip",
                    "ConfigurationFunction": "x.ps1\\\\Main",
                    "Properties": {
                      "DomainName": "contoso.com",
                      "AdminCreds": { "UserName": "[parameters('adminUser')]", "Password": "PrivateSettingsRef:AdminPassword" }
                    }
                  },
                  "protectedSettings": { "Items": { "AdminPassword": "[parameters('adminPassword')]" } }`);

// Keys documented in protectedSettings alone, written in settings: valid-dsc-settings says to move
// them there (misplacedKey), which protects what they hold.
const protectedOnlyKeysInSettings = dsc(`"settings": {
                    "ModulesUrl": "https://h/x.zip",
                    "ConfigurationFunction": "x.ps1\\\\Main",
                    "Properties": { "AdminCreds": { "UserName": "u", "Password": "PrivateSettingsRef:AdminPassword" } },
                    "Items": { "AdminPassword": "[parameters('adminPassword')]" },
                    "RegistrationKey": "[parameters('adminPassword')]"
                  }`);

const legacyArrayPrivateRef = dsc(`"settings": {
                    "Properties": [
                      { "Name": "RegistrationKey", "Value": { "UserName": "PLACEHOLDER_DONOTUSE", "Password": "PrivateSettingsRef:registrationKeyPrivate" }, "TypeName": "System.Management.Automation.PSCredential" },
                      { "Name": "RegistrationUrl", "Value": "[reference('aa').registrationUrl]", "TypeName": "System.String" }
                    ]
                  },
                  "protectedSettings": { "Items": { "registrationKeyPrivate": "[listKeys('aa', '2018-06-30').Keys[0].value]" } }`);

/**
 * An inner-scoped deployment passes an account object holding a secure parameter, as Bicep writes a
 * module's parameter: one expression for the whole parameter object.
 */
const passedAccount = nestedDeployment({
  scope: "inner",
  name: "inner",
  outerParameters: `{ "adminPassword": { "type": "secureString" } }`,
  passed: `{ "joinAccount": "[createObject('value', createObject('user', 'admin', 'secret', parameters('adminPassword')))]" }`,
  innerParameters: `{ "joinAccount": { "type": "object" } }`,
  resource: dscVmExtension(
    ['"typeHandlerVersion": "2.83"', `"settings": { "configurationArguments": { "JoinUser": "[parameters('joinAccount').user]", "JoinWith": "[parameters('joinAccount').secret]" } }`],
    "",
  ),
});

/** The protected arguments, read through a variable, have the public argument too. */
const twinInVariable = dsc(`"settings": { "configurationArguments": { "AdminPassword": "[parameters('adminPassword')]" } },
                  "protectedSettings": "[variables('ps')]"`, { variables: `{ "ps": { "configurationArguments": { "adminPassword": "[parameters('adminPassword')]" } } }` });
/** ... or have it only in some deployments (null otherwise): the value still belongs there alone. */
const twinSometimes = dsc(`"settings": { "configurationArguments": { "AdminPassword": "[parameters('adminPassword')]" } },
                  "protectedSettings": { "configurationArguments": { "AdminPassword": "[if(parameters('useIt'), parameters('adminPassword'), null())]" } }`);
/** A protected twin that is null in every deployment is not passed (ARM removes the key): no twin. */
const twinNull = dsc(`"settings": { "configurationArguments": { "AdminPassword": "[parameters('adminPassword')]" } },
                  "protectedSettings": { "configurationArguments": { "AdminPassword": "[json('null')]" } }`);
/** A twin read from a nullable parameter without a default, which a deployment may leave out. */
const twinNullable = dsc(`"settings": { "configurationArguments": { "AdminPassword": "[parameters('adminPassword')]" } },
                  "protectedSettings": { "configurationArguments": { "AdminPassword": "[parameters('protectedPassword')]" } }`).replace(
  `"parameters": {`,
  `"parameters": {
    "protectedPassword": { "type": "secureString", "nullable": true },`,
);
/** A twin in a parameter's default is passed only where no deployment replaces the default. */
const twinInDefault = dsc(`"settings": { "configurationArguments": { "AdminPassword": "[parameters('adminPassword')]" } },
                  "protectedSettings": "[parameters('protectedBag')]"`).replace(
  `"parameters": {`,
  `"parameters": {
    "protectedBag": { "type": "secureObject", "defaultValue": { "configurationArguments": { "AdminPassword": "x" } } },`,
);

/** Parameters with Bicep user-defined types: a secure string and a secure object through `$ref`. */
const userTyped = dsc(`"settings": { "configurationArguments": { "Join": "[parameters('joinPassword')]", "Account": "[parameters('account')]" } }`).replace(
  `"parameters": {`,
  `"definitions": { "secret": { "type": "securestring" }, "account": { "type": "secureObject", "properties": {} } },
  "parameters": {
    "joinPassword": { "$ref": "#/definitions/secret" },
    "account": { "$ref": "#/definitions/account" },`,
);

/** An inner-scoped deployment passes a Key Vault secret for a plain string parameter. */
const passedKeyVault = nestedDeployment({
  scope: "inner",
  name: "inner",
  outerParameters: "{}",
  passed: `{ "domainSecret": { "reference": { "keyVault": { "id": "[resourceId('Microsoft.KeyVault/vaults', 'kv')]" }, "secretName": "join" } } }`,
  innerParameters: `{ "domainSecret": { "type": "string" } }`,
  resource: dscVmExtension(['"typeHandlerVersion": "2.83"', `"settings": { "configurationArguments": { "Join": "[parameters('domainSecret')]" } }`], ""),
});

/** A secure string passed on to an inner secure parameter that the URL ends with: a SAS token (sas-token-in-protected-settings), not a credential. */
const passedOnToUrl = nestedDeployment({
  scope: "inner",
  name: "inner",
  outerParameters: `{ "packageKey": { "type": "secureString" } }`,
  passed: `{ "key": { "value": "[parameters('packageKey')]" } }`,
  innerParameters: `{ "key": { "type": "secureString" } }`,
  resource: dscVmExtension(['"typeHandlerVersion": "2.83"', `"settings": { "configuration": { "url": "[concat('https://h/x.zip', parameters('key'))]", "script": "x.ps1", "function": "Main" } }`], ""),
});

// --- invalid -----------------------------------------------------------------------------------

const secureParam = dsc(`"settings": {
                    "configurationArguments": {
                      "nodeName": "localhost",
                      "domainAdminPassword": "[parameters('adminPassword')]"
                    }
                  }`);

const credentialObject = dsc(`"settings": {
                    "configurationArguments": {
                      "DomainAdminCreds": { "UserName": "[parameters('adminUser')]", "Password": "[parameters('plainPassword')]" }
                    }
                  },
                  "protectedSettings": {
                    "configurationArguments": { "other": "x" }
                  }`);

const credentialVariable = dsc(`"settings": { "configurationArguments": { "Creds": "[variables('creds')]" } },
                  "protectedSettings": {}`,
  { variables: `{ "creds": { "userName": "admin", "password": "[parameters('plainPassword')]" } }` },
);

const listKeys = dsc(`"settings": {
                    "configurationArguments": { "storage": "[listKeys(resourceId('Microsoft.Storage/storageAccounts', 'st'), '2023-01-01').keys[0].value]" }
                  },
                  "protectedSettings": { "configurationArguments": { "STORAGE": "" } }`);

/** A protectedSettings written inside settings: valid-dsc-settings offers to move it out, so nothing is created beside it. */
const besideInnerProtected = dsc(`"settings": {
                    "configurationArguments": { "domainPassword": "[parameters('adminPassword')]" },
                    "protectedSettings": { "configurationArguments": {} }
                  }`);

const referenceKey = dsc(`"settings": { "configurationArguments": { "workspace": "[reference('ws').outputs.primarySharedKey.value]" } },
                  "protectedSettingsFromKeyVault": { "secretUrl": "https://kv.vault.azure.net/secrets/s", "sourceVault": { "id": "kv" } }`);

const secretName = dsc(`"settings": {
                    "configurationArguments": { "ApiToken": "[parameters('adminUser')]" }
                  }`);

/**
 * The report on the one public argument `ApiToken` (named like a secret, with the value
 * `value`), and its fix: the argument moved to a new protectedSettings.configurationArguments.
 */
function secretNameMoved(code: string, value: string) {
  return {
    code,
    output: code.replace(
      `"configurationArguments": { "ApiToken": "${value}" }\n                  }`,
      `"configurationArguments": {}\n                  },\n                  "protectedSettings": {\n                    "configurationArguments": {\n                      "ApiToken": "${value}"\n                    }\n                  }`,
    ),
    errors: [errorAt(code, "credentialInArgument", { ...on, argument: "ApiToken", reason: "is named like a secret" }, `"${value}"`)],
  };
}

// A variable that holds a string parameter may hold a secret, unlike one that holds a bool parameter.
const secretNameVariable = dsc(`"settings": {
                    "configurationArguments": { "ApiToken": "[variables('token')]" }
                  }`,
  { variables: `{ "token": "[parameters('adminUser')]" }` },
);

/** A credential object parameter whose default is a placeholder: a deployment passes the real one. */
const credentialParameter = dsc(`"settings": {
                    "configurationArguments": { "AdminCredential": "[parameters('adminCredential')]" }
                  }`).replace(`"passwordLength": { "type": "Int", "defaultValue": 24 }`, `"passwordLength": { "type": "Int", "defaultValue": 24 },
    "adminCredential": { "type": "object", "defaultValue": { "UserName": "", "Password": "" } }`);

const secureObjectMember = dsc(`"settings": {
                    "configurationArguments": { "hostPool": "[parameters('config').hostPoolName]", "registration": "[parameters('config').registrationToken]" }
                  }`);

const legacyObject = dsc(`"settings": {
                    "ModulesUrl": "https://h/x.zip",
                    "Properties": { "AdminCreds": { "UserName": "admin", "Password": "[parameters('adminPassword')]" } }
                  }`);

const legacyArray = dsc(`"settings": {
                    "Properties": [{ "Name": "StorageKey", "Value": "[variables('key')]", "TypeName": "System.String" }]
                  }`,
  { variables: `{ "key": "[listKeys('st', '2023-01-01').keys[0].value]" }` },
);

const legacyCredentialVariable = dsc(`"settings": { "Properties": { "JoinCreds": "[variables('creds')]" } }`, {
  variables: `{ "creds": { "UserName": "admin", "Password": "[parameters('adminPassword')]" } }`,
});
const legacyCredentialShapes = dsc(`"settings": { "Properties": [
                    { "Name": "Built", "Value": "[createObject('UserName', parameters('adminUser'), 'Password', parameters('adminPassword'))]", "TypeName": "System.Object" },
                    { "Name": "Whole", "Value": "[parameters('config')]", "TypeName": "System.Object" }
                  ] }`);
const legacyToken = dsc(`"settings": { "Properties": [{ "Name": "registrationInfoToken", "Value": "[parameters('adminPassword')]", "TypeName": "System.String" }] }`);
const opaqueLegacyProperties = dsc(`"settings": { "ModulesUrl": "https://h/x.zip", "Properties": "[variables('props')]" }`, {
  variables: `{ "props": { "token": "[parameters('adminPassword')]" } }`,
});
const opaqueLegacySettings = dsc(`"settings": "[variables('legacy')]"`, {
  variables: `{ "legacy": { "ModulesUrl": "https://h/x.zip", "Properties": { "token": "[parameters('adminPassword')]" } } }`,
});

const opaqueArguments = dsc(`"settings": { "configurationArguments": "[variables('arguments')]" }`, {
  variables: `{ "arguments": { "password": "[parameters('adminPassword')]" } }`,
});

/** An AVM-shaped module whose caller passes a registration key in `block` (settings or protectedSettings). */
function registrationKeyIn(block: "settings" | "protectedSettings"): string {
  return dscConfigModule(`{ "${block}": { "configurationArguments": { "RegistrationKey": { "UserName": "PLACEHOLDER_DONOTUSE", "Password": "[parameters('regKey')]" } } } }`);
}

const opaqueSettings = dsc(`"settings": "[variables('settings')]"`, {
  variables: `{ "settings": { "configurationArguments": { "password": "[parameters('adminPassword')]" } } }`,
});

/** Credentials outside configurationArguments: a key written in the wrong block, a key of the handler's own. */
const elsewhere = dsc(`"settings": {
                    "configuration": { "url": "https://h/x.zip", "script": "x.ps1", "function": "Main", "registrationKey": "[listKeys(resourceId('Microsoft.Automation/automationAccounts', 'aa'), '2023-11-01').Keys[0].value]" },
                    "advancedOptions": { "downloadMappings": { "password": "[variables('pw')]" } }
                  }`, { variables: `{ "pw": "[parameters('adminPassword')]" }` });

/** A legacy-format extension without Properties, with a secret under a key the handler does not define. */
const unknownKeyLegacy = dsc(`"settings": { "ModulesUrl": "https://h/x.zip", "ConfigurationFunction": "x.ps1\\\\Main", "Foo": "[parameters('adminPassword')]" }`);

const elsewhereLegacy = dsc(`"settings": {
                    "ModulesUrl": "https://h/x.zip",
                    "ConfigurationFunction": "[concat('x.ps1\\\\', parameters('adminPassword'))]",
                    "Properties": { "AdminCreds": { "UserName": "[parameters('adminUser')]", "Password": "PrivateSettingsRef:AdminPassword" } }
                  },
                  "protectedSettings": { "Items": { "AdminPassword": "[parameters('adminPassword')]" } }`);

const secureInUrls = dsc(`"settings": {
                    "configuration": { "url": "[parameters('adminPassword')]", "script": "x.ps1", "function": "Main" },
                    "configurationData": { "url": "[concat('https://h/data.psd1', parameters('adminPassword'), '&sr=b')]" }
                  }`);

const opaqueElsewhere = dsc(`"settings": "[variables('settings')]"`, {
  variables: `{ "settings": { "configuration": { "url": "https://h/x.zip", "key": "[parameters('adminPassword')]" } } }`,
});

// Arguments written elsewhere and read by the extension's expression: a variable, a whole settings
// block from a variable, a module caller's settings.
const argumentsFromVariable = dsc(`"settings": { "configuration": { "url": "https://h/x.zip", "script": "x.ps1", "function": "Main" }, "configurationArguments": "[variables('args')]" }`, {
  variables: `{ "args": { "domainName": "contoso.com", "storageAccountKey": "[parameters('adminUser')]" } }`,
});
const settingsFromVariable = dsc(`"settings": "[variables('dscSettings')]"`, {
  variables: `{ "dscSettings": { "configurationArguments": { "AdminCreds": { "UserName": "admin", "Password": "P@ssw0rd!" } } } }`,
});
const legacyFromModule = dscConfigModule(
  `{ "settings": { "modulesUrl": "https://h/Configuration.zip", "configurationFunction": "Configuration.ps1\\\\AddSessionHost", "properties": { "hostPoolName": "[parameters('hostPool').name]", "registrationInfoToken": "[parameters('hostPool').token]" } } }`,
  "vm",
  `{ "hostPool": { "type": "object" } }`,
);
// a secure parameter flows into one argument of the block, another is named like a secret: a report each
const flowAndOtherName = dsc(`"settings": { "configuration": { "url": "https://h/x.zip", "script": "x.ps1", "function": "Main" }, "configurationArguments": "[variables('args')]" }`, {
  variables: `{ "args": { "adminPassword": "[parameters('adminPassword')]", "storageKey": "abc" } }`,
});
// a secure parameter flowing into the block is one report on the expression (the flow), not two
const flowAndName = dsc(`"settings": { "configuration": { "url": "https://h/x.zip", "script": "x.ps1", "function": "Main" }, "configurationArguments": "[variables('args')]" }`, {
  variables: `{ "args": { "adminPassword": "[parameters('adminPassword')]" } }`,
});

runRuleTests("credentials-in-protected-settings", rule, {
  valid: [
    passedOnToUrl,
    ...examples,
    automation,
    legacyPrivateRef,
    protectedOnlyKeysInSettings,
    legacyArrayPrivateRef,
    // names that hold something other than a secret, and values that cannot be one
    dsc(`"settings": { "configurationArguments": { "keyVaultName": "kv", "secretUrl": "[reference('kv').secretUri]", "UseSecret": true, "Password": "" } }`),
    // a number written out is no more a secret than one from an int parameter
    dsc(`"settings": { "configurationArguments": { "PasswordExpiryDays": 30, "KeyLength": 2048, "AdminCreds": { "UserName": "admin", "Password": 0 } } }`),
    // a SAS token is the other rule's business
    dsc(`"settings": { "configurationArguments": { "packageSas": "[parameters('_artifactsLocationSasToken')]" } }`),
    // a secret name whose value is computed and cannot be a secret; SAS names are the other rule's
    dsc(`"settings": { "configurationArguments": { "RegistrationKey": "[resourceId('Microsoft.Automation/automationAccounts', 'aa')]", "storageSasToken": "x" } }`),
    // secret names whose values are a bool or int parameter, or a variable that holds a test
    dsc(
      `"settings": { "configurationArguments": { "ServiceCredentialIsDomainAccount": "[parameters('isDomainAccount')]", "PasswordLength": "[parameters('passwordLength')]", "ResetPassword": "[variables('reset')]", "SecretRotation": "[variables('rotate')]", "AdminCreds": { "UserName": "admin", "Password": "[variables('rotate')]" } } }`,
      { variables: `{ "reset": false, "rotate": "[parameters('isDomainAccount')]" }` },
    ),
    // an AVM-shaped module reads the caller's settings with tryGet: the protected key stays protected
    registrationKeyIn("protectedSettings"),
    // a secure object used as a configuration bag: only secret-named members are credentials
    dsc(`"settings": { "configurationArguments": { "hostPool": "[parameters('config').hostPoolName]" } }`),
    `{ "$schema": "${PARAMETERS_SCHEMA}", "parameters": { "adminPassword": { "value": "x" } } }`,
    // a PrivateSettingsRef built by an expression is the same reference once ARM evaluates it
    dsc(
      `"settings": { "ModulesUrl": "https://h/x.zip", "ConfigurationFunction": "x.ps1\\\\Main", "Properties": {
                      "A": { "UserName": "u", "Password": "[concat('PrivateSettingsRef:', variables('k'))]" },
                      "B": { "UserName": "u", "Password": "[format('PrivateSettingsRef:{0}', 'AdminPassword')]" }
                    } },
                  "protectedSettings": { "Items": { "AdminPassword": "[parameters('adminPassword')]" } }`,
      { variables: `{ "k": "AdminPassword" }` },
    ),
    // a secret-named argument whose variable holds a PSCredential with a PrivateSettingsRef
    dsc(
      `"settings": { "ModulesUrl": "https://h/x.zip", "ConfigurationFunction": "x.ps1\\\\Main", "Properties": { "Cred": "[variables('cred')]" } },
                  "protectedSettings": { "Items": { "AdminPassword": "[parameters('adminPassword')]" } }`,
      { variables: `{ "cred": { "UserName": "admin", "Password": "PrivateSettingsRef:AdminPassword" } }` },
    ),
    // a protected block written inside settings is valid-dsc-settings' report (with a move)
    dsc(`"settings": { "configuration": { "url": "https://h/x.zip" }, "ProtectedSettings": { "configurationArguments": { "password": "[parameters('adminPassword')]" } } }`),
    // values outside configurationArguments that hold no credential, and a PrivateSettingsRef written there
    dsc(`"settings": { "configuration": { "url": "[uri('https://h/', 'x.zip')]", "script": "x.ps1", "function": "[parameters('adminUser')]" }, "wmfVersion": "latest", "privacy": { "dataCollection": "PrivateSettingsRef:x" } }`),
  ],
  invalid: [
    oneError(
      argumentsFromVariable,
      "credentialInArgument",
      { ...on, argument: "storageAccountKey", reason: "is named like a secret (read through variable 'args', written on line 13)" },
      `"[variables('args')]"`,
    ),
    oneError(
      settingsFromVariable,
      "credentialInArgument",
      { ...on, argument: "AdminCreds", reason: "is a PSCredential whose password is in clear text (read through variable 'dscSettings', written on line 13)" },
      `"[variables('dscSettings')]"`,
    ),
    oneError(
      legacyFromModule,
      "secretInLegacyArgument",
      { name: "vm1/dsc", parent: "virtual machine 'vm1'", argument: "registrationInfoToken", path: "settings.Properties", reason: "is named like a secret (read through parameter 'extensionDSCConfig', written on line 13)" },
      `"[coalesce(tryGet(parameters('extensionDSCConfig'), 'settings'), createObject())]"`,
    ),
    {
      code: flowAndOtherName,
      errors: [
        errorAt(flowAndOtherName, "credentialInSettings", { ...on, source: "parameter 'adminPassword'", via: " through variable 'args'", path: "settings.configurationArguments" }, `"[variables('args')]"`),
        errorAt(
          flowAndOtherName,
          "credentialInArgument",
          { ...on, argument: "storageKey", reason: "is named like a secret (read through variable 'args', written on line 13)" },
          `"[variables('args')]"`,
        ),
      ],
    },
    oneError(
      flowAndName,
      "credentialInSettings",
      { ...on, source: "parameter 'adminPassword'", via: " through variable 'args'", path: "settings.configurationArguments" },
      `"[variables('args')]"`,
    ),
    {
      code: secureParam,
      output: secureParam.replace(
        `"nodeName": "localhost",\n                      "domainAdminPassword": "[parameters('adminPassword')]"\n                    }\n                  }`,
        `"nodeName": "localhost"\n                    }\n                  },\n                  "protectedSettings": {\n                    "configurationArguments": {\n                      "domainAdminPassword": "[parameters('adminPassword')]"\n                    }\n                  }`,
      ),
      errors: [
        errorAt(secureParam, "credentialInArgument", { ...on, argument: "domainAdminPassword", reason: "receives parameter 'adminPassword'" }, `"[parameters('adminPassword')]"`),
      ],
    },
    {
      code: credentialObject,
      output: credentialObject
        .replace(
          `"configurationArguments": {\n                      "DomainAdminCreds": { "UserName": "[parameters('adminUser')]", "Password": "[parameters('plainPassword')]" }\n                    }`,
          `"configurationArguments": {}`,
        )
        .replace(
          `{ "other": "x" }`,
          `{ "other": "x", "DomainAdminCreds": { "UserName": "[parameters('adminUser')]", "Password": "[parameters('plainPassword')]" } }`,
        ),
      errors: [
        errorAt(credentialObject, "credentialInArgument", { ...on, argument: "DomainAdminCreds", reason: "is a PSCredential whose password is in clear text" }, `"[parameters('plainPassword')]"`),
      ],
    },
    {
      code: credentialVariable,
      output: credentialVariable
        .replace(`"settings": { "configurationArguments": { "Creds": "[variables('creds')]" } }`, `"settings": { "configurationArguments": {} }`)
        .replace(
          `"protectedSettings": {}`,
          `"protectedSettings": {\n                    "configurationArguments": {\n                      "Creds": "[variables('creds')]"\n                    }\n                  }`,
        ),
      errors: [
        errorAt(credentialVariable, "credentialInArgument", { ...on, argument: "Creds", reason: "is a PSCredential whose password is in clear text" }, `"[variables('creds')]"`),
      ],
    },
    oneError(besideInnerProtected, "credentialInArgument", { ...on, argument: "domainPassword", reason: "receives parameter 'adminPassword'" }, `"[parameters('adminPassword')]"`),
    // the protected arguments have it already: the advice is to remove the public one
    { code: twinInVariable, errors: [errorAt(twinInVariable, "credentialAlsoProtected", { ...on, argument: "AdminPassword", reason: "receives parameter 'adminPassword'", twin: "adminPassword", when: "" }, `"[parameters('adminPassword')]"`, 2)] },
    oneError(twinNull, "credentialInArgument", { ...on, argument: "AdminPassword", reason: "receives parameter 'adminPassword'" }, `"[parameters('adminPassword')]"`),
    oneError(twinInDefault, "credentialAlsoProtected", { ...on, argument: "AdminPassword", reason: "receives parameter 'adminPassword'", twin: "AdminPassword", when: " (perhaps not in every deployment)" }, `"[parameters('adminPassword')]"`),
    oneError(twinSometimes, "credentialAlsoProtected", { ...on, argument: "AdminPassword", reason: "receives parameter 'adminPassword'", twin: "AdminPassword", when: " (perhaps not in every deployment)" }, `"[parameters('adminPassword')]"`),
    oneError(twinNullable, "credentialAlsoProtected", { ...on, argument: "AdminPassword", reason: "receives parameter 'adminPassword'", twin: "AdminPassword", when: " (perhaps not in every deployment)" }, `"[parameters('adminPassword')]"`),
    oneError(listKeys, "credentialAlsoProtected", { ...on, argument: "storage", reason: "receives listKeys()", twin: "STORAGE", when: "" }, `"[listKeys(resourceId('Microsoft.Storage/storageAccounts', 'st'), '2023-01-01').keys[0].value]"`),
    oneError(referenceKey, "credentialInArgument", { ...on, argument: "workspace", reason: "receives reference().outputs.primarySharedKey.value" }, `"[reference('ws').outputs.primarySharedKey.value]"`),
    secretNameMoved(secretName, "[parameters('adminUser')]"),
    {
      // only the member that holds the secure parameter
      code: passedAccount,
      output: passedAccount.replace(
        `{ "JoinUser": "[parameters('joinAccount').user]", "JoinWith": "[parameters('joinAccount').secret]" } }`,
        `{ "JoinUser": "[parameters('joinAccount').user]" } },\n                "protectedSettings": {\n                  "configurationArguments": {\n                    "JoinWith": "[parameters('joinAccount').secret]"\n                  }\n                }`,
      ),
      errors: [
        errorAt(passedAccount, "credentialInArgument", { name: "vm1/dsc", parent: "virtual machine 'vm1'", argument: "JoinWith", reason: "receives parameter 'adminPassword' through parameter 'joinAccount'" }, `"[parameters('joinAccount').secret]"`),
      ],
    },
    {
      // a Key Vault secret is a secret, whatever the type of the parameter it is passed for
      code: passedKeyVault,
      output: passedKeyVault.replace(
        `"settings": { "configurationArguments": { "Join": "[parameters('domainSecret')]" } }`,
        `"settings": { "configurationArguments": {} },\n                "protectedSettings": {\n                  "configurationArguments": {\n                    "Join": "[parameters('domainSecret')]"\n                  }\n                }`,
      ),
      errors: [
        errorAt(passedKeyVault, "credentialInArgument", { name: "vm1/dsc", parent: "virtual machine 'vm1'", argument: "Join", reason: "receives a Key Vault secret through parameter 'domainSecret'" }, `"[parameters('domainSecret')]"`),
      ],
    },
    {
      code: userTyped,
      output: userTyped
        // one pass: both fixes create protectedSettings, so the second waits for the next pass
        .replace(`"settings": { "configurationArguments": { "Join": "[parameters('joinPassword')]", "Account": "[parameters('account')]" } }`, `"settings": { "configurationArguments": { "Account": "[parameters('account')]" } },\n                  "protectedSettings": {\n                    "configurationArguments": {\n                      "Join": "[parameters('joinPassword')]"\n                    }\n                  }`),
      errors: [
        errorAt(userTyped, "credentialInArgument", { ...on, argument: "Join", reason: "receives parameter 'joinPassword'" }, `"[parameters('joinPassword')]"`),
        errorAt(userTyped, "credentialInArgument", { ...on, argument: "Account", reason: "receives parameter 'account'" }, `"[parameters('account')]"`),
      ],
    },
    secretNameMoved(secretNameVariable, "[variables('token')]"),
    {
      code: credentialParameter,
      output: credentialParameter.replace(
        `"configurationArguments": { "AdminCredential": "[parameters('adminCredential')]" }\n                  }`,
        `"configurationArguments": {}\n                  },\n                  "protectedSettings": {\n                    "configurationArguments": {\n                      "AdminCredential": "[parameters('adminCredential')]"\n                    }\n                  }`,
      ),
      errors: [errorAt(credentialParameter, "credentialInArgument", { ...on, argument: "AdminCredential", reason: "is named like a secret" }, `"[parameters('adminCredential')]"`)],
    },
    // the legacy format's advice (protectedSettings.Properties), not the current format's, which would mix the two
    oneError(unknownKeyLegacy, "credentialInLegacySettings", { ...on, source: "parameter 'adminPassword'", via: "", path: "settings.Foo" }, `"[parameters('adminPassword')]"`),
    {
      code: registrationKeyIn("settings"),
      errors: [
        errorAt(
          registrationKeyIn("settings"),
          "credentialInSettings",
          { name: "vm1/dsc", parent: "virtual machine 'vm1'", source: "parameter 'regKey'", via: " through parameter 'extensionDSCConfig'", path: "settings" },
          `"[coalesce(tryGet(parameters('extensionDSCConfig'), 'settings'), createObject())]"`,
        ),
      ],
    },
    {
      code: secureObjectMember,
      output: secureObjectMember.replace(
        `{ "hostPool": "[parameters('config').hostPoolName]", "registration": "[parameters('config').registrationToken]" }\n                  }`,
        `{ "hostPool": "[parameters('config').hostPoolName]" }\n                  },\n                  "protectedSettings": {\n                    "configurationArguments": {\n                      "registration": "[parameters('config').registrationToken]"\n                    }\n                  }`,
      ),
      errors: [
        errorAt(secureObjectMember, "credentialInArgument", { ...on, argument: "registration", reason: "receives member registrationToken of parameter 'config'" }, `"[parameters('config').registrationToken]"`),
      ],
    },
    oneError(legacyObject, "credentialInLegacyArgument", { ...on, argument: "AdminCreds", path: "settings.Properties", reason: "receives parameter 'adminPassword'" }, `"[parameters('adminPassword')]"`),
    oneError(legacyArray, "secretInLegacyArgument", { ...on, argument: "StorageKey", path: "settings.Properties", reason: "receives listKeys() through variable 'key'" }, `"[variables('key')]"`),
    // a PSCredential held by a variable can use PrivateSettingsRef
    oneError(legacyCredentialVariable, "credentialInLegacyArgument", { ...on, argument: "JoinCreds", path: "settings.Properties", reason: "receives parameter 'adminPassword' through variable 'creds'" }, `"[variables('creds')]"`),
    {
      // ... and so can one built with createObject(), or a secureObject parameter passed whole
      code: legacyCredentialShapes,
      errors: [
        errorAt(legacyCredentialShapes, "credentialInLegacyArgument", { ...on, argument: "Built", path: "settings.Properties", reason: "receives parameter 'adminPassword'" }, `"[createObject('UserName', parameters('adminUser'), 'Password', parameters('adminPassword'))]"`),
        errorAt(legacyCredentialShapes, "credentialInLegacyArgument", { ...on, argument: "Whole", path: "settings.Properties", reason: "receives parameter 'config'" }, `"[parameters('config')]"`),
      ],
    },
    // a plain string cannot: PrivateSettingsRef is for a PSCredential's password
    oneError(legacyToken, "secretInLegacyArgument", { ...on, argument: "registrationInfoToken", path: "settings.Properties", reason: "receives parameter 'adminPassword'" }, `"[parameters('adminPassword')]"`),
    oneError(opaqueLegacyProperties, "credentialInLegacySettings", { ...on, source: "parameter 'adminPassword'", via: " through variable 'props'", path: "settings.Properties" }, `"[variables('props')]"`),
    oneError(opaqueLegacySettings, "credentialInLegacySettings", { ...on, source: "parameter 'adminPassword'", via: " through variable 'legacy'", path: "settings" }, `"[variables('legacy')]"`),
    oneError(opaqueArguments, "credentialInSettings", { ...on, source: "parameter 'adminPassword'", via: " through variable 'arguments'", path: "settings.configurationArguments" }, `"[variables('arguments')]"`),
    {
      code: elsewhere,
      errors: [
        errorAt(elsewhere, "credentialInSettings", { ...on, source: "listKeys()", via: "", path: "settings.configuration.registrationKey" }, `"[listKeys(resourceId('Microsoft.Automation/automationAccounts', 'aa'), '2023-11-01').Keys[0].value]"`),
        // a key of the handler's own has no protected place
        errorAt(elsewhere, "credentialInHandlerValue", { ...on, source: "parameter 'adminPassword'", via: " through variable 'pw'", path: "settings.advancedOptions.downloadMappings.password", hint: "" }, `"[variables('pw')]"`),
      ],
    },
    oneError(elsewhereLegacy, "credentialInHandlerValue", { ...on, source: "parameter 'adminPassword'", via: "", path: "settings.ConfigurationFunction", hint: "" }, `"[concat('x.ps1\\\\', parameters('adminPassword'))]"`),
    {
      // secure values in URLs that are not the token appended at the end: the whole URL, a piece in the middle
      code: secureInUrls,
      errors: [
        errorAt(secureInUrls, "credentialInHandlerValue", { ...on, source: "parameter 'adminPassword'", via: "", path: "settings.configuration.url", hint: "; only a SAS token appended to the URL has a protected place, protectedSettings.configurationUrlSasToken" }, `"[parameters('adminPassword')]"`),
        errorAt(secureInUrls, "credentialInHandlerValue", { ...on, source: "parameter 'adminPassword'", via: "", path: "settings.configurationData.url", hint: "; only a SAS token appended to the URL has a protected place, protectedSettings.configurationDataUrlSasToken" }, `"[concat('https://h/data.psd1', parameters('adminPassword'), '&sr=b')]"`),
      ],
    },
    // a credential anywhere in settings given as one expression
    oneError(opaqueElsewhere, "credentialInSettings", { ...on, source: "parameter 'adminPassword'", via: " through variable 'settings'", path: "settings" }, `"[variables('settings')]"`),
    oneError(opaqueSettings, "credentialInSettings", { ...on, source: "parameter 'adminPassword'", via: " through variable 'settings'", path: "settings" }, `"[variables('settings')]"`),
  ],
});
