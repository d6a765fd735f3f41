import { readFileSync } from "node:fs";
import rule from "../../rules/sas-token-in-protected-settings.js";
import { runRuleTests } from "../helpers/tester.js";
import { dscOnVm, dscVmExtension, nestedDeployment } from "../helpers/templates.js";
import { at, errorAt, oneError, PARAMETERS_SCHEMA } from "../helpers/at.js";

const ARTIFACTS = `{
    "_artifactsLocation": { "type": "string", "defaultValue": "[deployment().properties.templateLink.uri]" },
    "_artifactsLocationSasToken": { "type": "secureString", "defaultValue": "" }
  }`;

/** A template with one top-level DSC extension on `vm1` and the artifacts parameters; `props` follows typeHandlerVersion. */
function dsc(props: string, { parameters = ARTIFACTS, variables = "{}" }: { parameters?: string; variables?: string } = {}): string {
  return dscOnVm(props, { parameters, variables });
}

const on = { name: "vm1/dsc", parent: "virtual machine 'vm1'" };
const sasParam = "parameter '_artifactsLocationSasToken'";
const PROTECTED_TOKEN = `,
        "protectedSettings": {
          "configurationUrlSasToken": "[parameters('_artifactsLocationSasToken')]"
        }`;

/**
 * An invalid case whose token the fix splits off: the URL `url` (its JSON text) becomes `rest`, and
 * the text `at` becomes `withToken` (the token key added to protectedSettings).
 */
function splitCase(code: string, url: string, rest: string, [at, withToken]: [string, string], data: { source: string; via?: string; path: string; tokenKey: string }) {
  return {
    code,
    output: code.replace(url, rest).replace(at, withToken),
    errors: [errorAt(code, "tokenInUrl", { ...on, via: "", ...data }, url)],
  };
}

const examples = ["vm-dsc.json", "vmss-dsc.json"].map((f) => readFileSync(new URL(`../../examples/${f}`, import.meta.url), "utf8"));

const automation = dsc(`"settings": {
          "configurationArguments": {
            "RegistrationUrl": "[reference(resourceId('Microsoft.Automation/automationAccounts', 'aa'), '2023-11-01').registrationUrl]",
            "NodeConfigurationName": "web.localhost"
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

// --- invalid templates -------------------------------------------------------------------------

const concatUrl = dsc(`"settings": {
          "configuration": {
            "url": "[concat(parameters('_artifactsLocation'), 'DSC/x.zip', parameters('_artifactsLocationSasToken'))]",
            "script": "x.ps1",
            "function": "Main"
          }
        }`);

const uriUrl = dsc(`"settings": {
          "configuration": { "url": "[uri(parameters('_artifactsLocation'), concat('DSC/x.zip', parameters('_artifactsLocationSasToken')))]", "script": "x.ps1", "function": "Main" }
        },
        "protectedSettings": {
          "configurationArguments": { "cred": { "userName": "u", "password": "[parameters('pw')]" } }
        }`,
  { parameters: ARTIFACTS.replace(`"defaultValue": "" }`, `"defaultValue": "" },\n    "pw": { "type": "secureString" }`) },
);

const formatUrl = dsc(`"settings": {
          "configurationData": { "url": "[format('{1}data/{0}.psd1{2}', parameters('env'), parameters('_artifactsLocation'), parameters('_artifactsLocationSasToken'))]" }
        },
        "protectedSettings": {}`,
  { parameters: ARTIFACTS.replace(`"defaultValue": "" }`, `"defaultValue": "" },\n    "env": { "type": "string" }`) },
);

const middle = dsc(`"settings": {
          "configuration": { "url": "[concat(parameters('_artifactsLocation'), parameters('_artifactsLocationSasToken'), '&x=DSC.zip')]" }
        }`);

const privateVariable = dsc(`"settings": { "configuration": { "url": "[variables('zipUrl')]" } }`, {
  variables: `{ "zipUrl": "[concat(parameters('_artifactsLocation'), 'DSC/x.zip', parameters('_artifactsLocationSasToken'))]" }`,
});

const sharedVariable = dsc(`"settings": { "configuration": { "url": "[variables('zipUrl')]" } }`, {
  variables: `{ "zipUrl": "[concat(parameters('_artifactsLocation'), 'DSC/x.zip', parameters('_artifactsLocationSasToken'))]", "copyOfUrl": "[variables('zipUrl')]" }`,
});

/** The token in the URL and in protectedSettings, which the handler appends again. */
const keyTaken = dsc(`"settings": { "configuration": { "url": "[concat(parameters('_artifactsLocation'), 'x.zip', parameters('_artifactsLocationSasToken'))]" } },
        "protectedSettings": { "configurationUrlSasToken": "[parameters('_artifactsLocationSasToken')]" }`);
/** The same, with protectedSettings read from a variable. */
const keyTakenInVariable = dsc(`"settings": { "configuration": { "url": "[concat(parameters('_artifactsLocation'), 'x.zip', parameters('_artifactsLocationSasToken'))]" } },
        "protectedSettings": "[variables('protected')]"`, { variables: `{ "protected": { "configurationUrlSasToken": "[parameters('_artifactsLocationSasToken')]" } }` });
/** The URL's token is passed as a configuration argument of a merged protectedSettings, not in its token key. */
const URL_WITH_TOKEN = `"settings": { "configuration": { "url": "[concat(parameters('_artifactsLocation'), 'x.zip', parameters('_artifactsLocationSasToken'))]" } }`;
const mergedProtected = (merge: string) =>
  dsc(`${URL_WITH_TOKEN},
        "protectedSettings": "${merge}"`, { variables: `{ "base": { "configurationArguments": { "Admin": "a" } } }` });
const unionProtected = mergedProtected("[union(variables('base'), createObject('configurationArguments', createObject('StorageSas', parameters('_artifactsLocationSasToken'))))]");
const shallowMergeProtected = mergedProtected("[shallowMerge(createArray(variables('base'), createObject('configurationArguments', createObject('StorageSas', parameters('_artifactsLocationSasToken')))))]");
/** The token key of a merged `settings` (Bicep's `{ ...base, configurationUrlSasToken: sas }`). */
const mergedSettingsKey = dsc(`"settings": "[shallowMerge(createArray(variables('base'), createObject('configurationUrlSasToken', parameters('_artifactsLocationSasToken'))))]"`, {
  variables: `{ "base": { "configuration": { "url": "https://h/x.zip", "script": "x.ps1", "function": "Main" } } }`,
});
/** protectedSettings passes the URL's token only when a parameter says so (Bicep's `useToken ? {...} : {}`). */
const protectedSometimes = dsc(`${URL_WITH_TOKEN},
        "protectedSettings": "[if(parameters('useToken'), createObject('configurationUrlSasToken', parameters('_artifactsLocationSasToken')), createObject())]"`, {
  parameters: `{ "_artifactsLocation": { "type": "string" }, "_artifactsLocationSasToken": { "type": "secureString" }, "useToken": { "type": "bool" } }`,
});
const protectedValueSometimes = dsc(`${URL_WITH_TOKEN},
        "protectedSettings": { "configurationUrlSasToken": "[if(parameters('useToken'), parameters('_artifactsLocationSasToken'), '')]" }`, {
  parameters: `{ "_artifactsLocation": { "type": "string" }, "_artifactsLocationSasToken": { "type": "secureString" }, "useToken": { "type": "bool" } }`,
});
const SWITCHED_PARAMETERS = `{ "_artifactsLocation": { "type": "string" }, "_artifactsLocationSasToken": { "type": "secureString" }, "useToken": { "type": "bool" } }`;
const SWITCHED_TOKEN = "if(parameters('useToken'), createObject('configurationUrlSasToken', parameters('_artifactsLocationSasToken')), createObject())";
/** The same switch, written in a variable (Bicep's `var prot = useToken ? {...} : {}`) and in a merge. */
const protectedSometimesInVariable = dsc(`${URL_WITH_TOKEN},
        "protectedSettings": "[variables('prot')]"`, { parameters: SWITCHED_PARAMETERS, variables: `{ "prot": "[${SWITCHED_TOKEN}]" }` });
const protectedSometimesInUnion = dsc(`${URL_WITH_TOKEN},
        "protectedSettings": "[union(createObject('x', 1), ${SWITCHED_TOKEN})]"`, { parameters: SWITCHED_PARAMETERS });
/** A member of a configuration variable (Bicep's `cfg.sasToken` where `sasToken: useSas ? sas : ''`). */
const protectedSometimesMember = dsc(`${URL_WITH_TOKEN},
        "protectedSettings": { "configurationUrlSasToken": "[variables('cfg').sasToken]" }`, {
  parameters: SWITCHED_PARAMETERS,
  variables: `{ "cfg": { "sasToken": "[if(parameters('useToken'), parameters('_artifactsLocationSasToken'), '')]" } }`,
});
/** A later object of the merge sets the key to a value that may be blank: the last object that sets it wins. */
const protectedOverridden = dsc(`${URL_WITH_TOKEN},
        "protectedSettings": "[union(createObject('configurationUrlSasToken', parameters('_artifactsLocationSasToken')), if(parameters('useToken'), createObject(), createObject('configurationUrlSasToken', '')))]"`, { parameters: SWITCHED_PARAMETERS });
/** ... and one where the last object always sets the token: passed in every deployment. */
const protectedLastSetterAlways = dsc(`${URL_WITH_TOKEN},
        "protectedSettings": "[union(${SWITCHED_TOKEN}, createObject('configurationUrlSasToken', parameters('_artifactsLocationSasToken')))]"`, { parameters: SWITCHED_PARAMETERS });
/** The switch under another function (Bicep's `'${useToken ? sas : ''}'` compiles to `format()`). */
const protectedSometimesFormatted = dsc(`${URL_WITH_TOKEN},
        "protectedSettings": { "configurationUrlSasToken": "[format('{0}', if(parameters('useToken'), parameters('_artifactsLocationSasToken'), ''))]" }`, { parameters: SWITCHED_PARAMETERS });
/** The switch in the default of the parameter protectedSettings reads, which a deployment need not set. */
const protectedSometimesDefault = dsc(`${URL_WITH_TOKEN},
        "protectedSettings": { "configurationUrlSasToken": "[parameters('tok')]" }`, {
  parameters: `{ "_artifactsLocation": { "type": "string" }, "_artifactsLocationSasToken": { "type": "secureString" }, "useToken": { "type": "bool" }, "tok": { "type": "secureString", "defaultValue": "[if(parameters('useToken'), parameters('_artifactsLocationSasToken'), '')]" } }`,
});
/** The switch in a member of an object default, read by member (`parameters('o').t`). */
const protectedSometimesObjectDefault = dsc(`${URL_WITH_TOKEN},
        "protectedSettings": { "configurationUrlSasToken": "[parameters('o').t]" }`, {
  parameters: `{ "_artifactsLocation": { "type": "string" }, "_artifactsLocationSasToken": { "type": "secureString" }, "useToken": { "type": "bool" }, "o": { "type": "secureObject", "defaultValue": { "t": "[if(parameters('useToken'), parameters('_artifactsLocationSasToken'), '')]" } } }`,
});
/** The switch inside what another function builds, read by member: what the member holds cannot be told. */
const protectedSometimesBuilt = dsc(`${URL_WITH_TOKEN},
        "protectedSettings": { "configurationUrlSasToken": "[createArray(if(parameters('useToken'), parameters('_artifactsLocationSasToken'), ''))[0]]" }`, { parameters: SWITCHED_PARAMETERS });
/** A nullable token parameter (Bicep's `param sas string?`), which a deployment may leave out. */
const protectedNullable = dsc(`${URL_WITH_TOKEN}${PROTECTED_TOKEN}`, {
  parameters: `{ "_artifactsLocation": { "type": "string" }, "_artifactsLocationSasToken": { "type": "secureString", "nullable": true } }`,
});
/** A module parameter that its caller does not pass: its default, the switch, is its value. */
const moduleDefaultSometimes = nestedDeployment({
  scope: "inner",
  name: "dsc-deployment",
  outerParameters: SWITCHED_PARAMETERS,
  passed: `{ "loc": { "value": "[parameters('_artifactsLocation')]" }, "urlTok": { "value": "[parameters('_artifactsLocationSasToken')]" }, "use": { "value": "[parameters('useToken')]" } }`,
  innerParameters: `{ "loc": { "type": "string" }, "urlTok": { "type": "secureString" }, "use": { "type": "bool" }, "tok": { "type": "secureString", "defaultValue": "[if(parameters('use'), parameters('urlTok'), '')]" } }`,
  resource: dscVmExtension(
    [
      `"typeHandlerVersion": "2.83"`,
      `"settings": { "configuration": { "url": "[concat(parameters('loc'), 'x.zip', parameters('urlTok'))]" } }`,
      `"protectedSettings": { "configurationUrlSasToken": "[parameters('tok')]" }`,
    ],
    "",
  ),
});
/** A token from listAccountSas() in the URL and in protectedSettings: passed in every deployment. */
const LIST_SAS = "listAccountSas('sa', '2023-01-01', variables('sasProperties')).accountSasToken";
const protectedListSas = dsc(`"settings": { "configuration": { "url": "[concat('https://h/x.zip?', ${LIST_SAS})]" } },
        "protectedSettings": { "configurationUrlSasToken": "[${LIST_SAS}]" }`, { variables: `{ "sasProperties": {} }` });
/** Settings built whole by an expression that reads a deployment's output named like a token. */
const referenceSettings = dsc(`"settings": "[createObject('configuration', createObject('url', reference('storage').outputs.sasUrl.value))]"`);
/** Ways that pass the token in every deployment: Bicep's `sas ?? ''`, an array element, a function of it. */
const protectedCoalesced = dsc(`${URL_WITH_TOKEN},
        "protectedSettings": { "configurationUrlSasToken": "[coalesce(parameters('_artifactsLocationSasToken'), '')]" }`);
const protectedArrayElement = dsc(`${URL_WITH_TOKEN},
        "protectedSettings": { "configurationUrlSasToken": "[variables('tokens')[0]]" }`, { variables: `{ "tokens": [ "[parameters('_artifactsLocationSasToken')]" ] }` });
const protectedFormatted = dsc(`${URL_WITH_TOKEN},
        "protectedSettings": { "configurationUrlSasToken": "[format('{0}', parameters('_artifactsLocationSasToken'))]" }`);
/** A condition that is the same in every deployment: the token is always passed. */
const protectedConstantIf = dsc(`${URL_WITH_TOKEN},
        "protectedSettings": { "configurationUrlSasToken": "[if(true(), parameters('_artifactsLocationSasToken'), '')]" }`);
/** A URL that ends in a member named like a SAS token of parameter `storage`, typed `type`. */
const objectMemberUrl = (type: string) =>
  dsc(`"settings": { "configuration": { "url": "[concat('https://h/x.zip', parameters('storage').sasToken)]" } }`, { parameters: `{ "storage": { "type": "${type}" } }` });
/** A URL that ends in a member of an object variable that holds a secure parameter. */
const variableMemberUrl = dsc(`"settings": { "configuration": { "url": "[concat(variables('dsc').url, variables('dsc').token)]" } }`, {
  parameters: `{ "storageKey": { "type": "secureString" } }`,
  variables: `{ "dsc": { "url": "https://h/x.zip", "token": "[parameters('storageKey')]" } }`,
});
/** The split of a URL whose token is `token` (an expression) and whose rest is `rest` (JSON text). */
const memberSplit = (code: string, url: string, rest: string, token: string, source: string, via = "") =>
  splitCase(
    code,
    url,
    rest,
    [`"url": ${rest} } }`, `"url": ${rest} } },\n        "protectedSettings": {\n          "configurationUrlSasToken": "${token}"\n        }`],
    { source, via, path: "settings.configuration.url", tokenKey: "configurationUrlSasToken" },
  );

/** An invalid case: the URL of `code` ends in the token protectedSettings passes, with the suggestion to take it out. */
function alsoProtected(code: string) {
  return {
    code,
    errors: [
      {
        ...errorAt(
          code,
          "tokenInUrlAndProtected",
          { ...on, source: sasParam, via: "", path: "settings.configuration.url", tokenKey: "configurationUrlSasToken", when: "", advice: "take the token out of the URL" },
          `"[concat(parameters('_artifactsLocation'), 'x.zip', parameters('_artifactsLocationSasToken'))]"`,
        ),
        suggestions: [
          {
            messageId: "removeFromUrl" as const,
            data: { tokenKey: "configurationUrlSasToken" },
            output: code.replace(`, 'x.zip', parameters('_artifactsLocationSasToken'))]`, `, 'x.zip')]`),
          },
        ],
      },
    ],
  };
}
/** protectedSettings is the token itself (not an object): it passes no configurationUrlSasToken. */
const protectedIsToken = dsc(`"settings": { "configuration": { "url": "[concat(parameters('_artifactsLocation'), 'x.zip', parameters('_artifactsLocationSasToken'))]" } },
        "protectedSettings": "[parameters('_artifactsLocationSasToken')]"`);
/** The protected key holds another token: the URL's token has no place to go. */
const keyTakenByOther = dsc(`"settings": { "configuration": { "url": "[concat(parameters('_artifactsLocation'), 'x.zip', parameters('_artifactsLocationSasToken'))]" } },
        "protectedSettings": { "configurationUrlSasToken": "[parameters('otherSasToken')]" }`, {
  parameters: `{ "_artifactsLocation": { "type": "string" }, "_artifactsLocationSasToken": { "type": "secureString" }, "otherSasToken": { "type": "secureString" } }`,
});

const literalUrl = dsc(`"settings": { "configuration": { "url": "https://acct.blob.core.windows.net/dsc/x.zip?sv=2022-11-02&sp=r&se=2030-01-01&sig=AbC%3D" } }`);

/**
 * A token key `key` in public settings beside `holder`'s URL, written as `url`; `after` follows the
 * settings block.
 */
function misplacedKey(holder: string, url: string, key: string, after = "", parts: { parameters?: string } = {}): string {
  return dsc(
    `"settings": {
          "${holder}": { "url": "${url}" },
          "${key}": "[parameters('_artifactsLocationSasToken')]"
        }${after}`,
    parts,
  );
}
const URI = "[uri(parameters('_artifactsLocation'), 'x.zip')]";
const misplaced = misplacedKey("configuration", URI, "configurationUrlSasToken");

const misplacedIntoExisting = dsc(`"settings": {
          "configurationData": { "url": "[uri(parameters('_artifactsLocation'), 'data.psd1')]" },
          // the data token
          "ConfigurationDataUrlSasToken": "[parameters('_artifactsLocationSasToken')]"
        },
        "protectedSettings": {
          "configurationArguments": {}
        }`);

/** The key in both blocks: moving would make two. */
const misplacedTwice = misplacedKey("configuration", URI, "configurationUrlSasToken", `,
        "protectedSettings": { "configurationUrlSasToken": "[parameters('_artifactsLocationSasToken')]" }`);
/** The misplacedKey advice when the key's URL is not given in every deployment. */
function urlFirst(holder: string): string {
  return `move it to protectedSettings once settings.${holder}.url is given in every deployment (the handler rejects it there without that URL), or remove it`;
}
const MOVE = "move it to protectedSettings";
/** The data URL given only when a root parameter says so: a deployment may leave it out. */
const misplacedUrlSometimes = misplacedKey("configurationData", "[if(parameters('useData'), 'https://h/d.psd1', json('null'))]", "configurationDataUrlSasToken", "", {
  parameters: `{ "useData": { "type": "bool", "defaultValue": true }, "_artifactsLocationSasToken": { "type": "secureString" } }`,
});
/** Token keys without the URL they belong to: the handler would reject them in protectedSettings. */
const misplacedWithoutUrl = misplacedKey("configuration", URI, "configurationDataUrlSasToken");
const misplacedNullUrl = misplacedKey("configuration", "[json('null')]", "configurationUrlSasToken");

/** The URL carries the token and the key repeats it: in protectedSettings the handler would append it twice. */
/** ... in one branch of an if() only. */
const IF_URL = "[if(parameters('useSas'), concat('https://h/x.zip', parameters('_artifactsLocationSasToken')), 'https://h/x.zip')]";
const misplacedBesideTokenSometimes = misplacedKey("configuration", IF_URL, "configurationUrlSasToken", "", {
  parameters: `{ "useSas": { "type": "bool" }, "_artifactsLocationSasToken": { "type": "secureString" } }`,
});
const misplacedBesideToken = misplacedKey("configuration", "[concat(parameters('_artifactsLocation'), 'x.zip', parameters('_artifactsLocationSasToken'))]", "configurationUrlSasToken");

/** A protectedSettings written inside settings: valid-dsc-settings offers to move it out, so nothing is created beside it. */
const urlBesideInnerProtected = dsc(`"settings": {
          "configuration": { "url": "[concat(parameters('_artifactsLocation'), 'x.zip', parameters('_artifactsLocationSasToken'))]" },
          "protectedSettings": {}
        }`);

const misplacedKeyVault = dsc(`"settings": { "configurationUrlSasToken": "[parameters('_artifactsLocationSasToken')]" },
        "protectedSettingsFromKeyVault": { "secretUrl": "https://kv.vault.azure.net/secrets/s", "sourceVault": { "id": "kv" } }`);

const legacy = dsc(`"settings": {
          "ModulesUrl": "[concat(parameters('_artifactsLocation'), '/DSC/x.zip', parameters('_artifactsLocationSasToken'))]",
          "SasToken": "[parameters('_artifactsLocationSasToken')]",
          "ConfigurationFunction": "x.ps1\\\\Main",
          "Properties": [{ "Name": "packageUrl", "Value": "[concat('https://h/p.zip', parameters('_artifactsLocationSasToken'))]", "TypeName": "System.String" }]
        }`);

// A real template's name, acronyms run together: SQLSASUrl is sqlSasUrl (names are case-insensitive).
const legacyAcronym = dsc(
  `"settings": {
          "ModulesUrl": "https://h/x.zip",
          "ConfigurationFunction": "x.ps1\\\\Main",
          "Properties": [{ "Name": "SQLSASUrl", "Value": "[parameters('SQLSASUrl')]", "TypeName": "System.String" }]
        }`,
  { parameters: `{ "SQLSASUrl": { "type": "string" } }` },
);

const argument = dsc(`"settings": {
          "configuration": { "url": "[uri(parameters('_artifactsLocation'), 'x.zip')]", "script": "x.ps1", "function": "Main" },
          "configurationArguments": {
            "nodeName": "localhost",
            "packageUrl": "[concat(parameters('_artifactsLocation'), 'pkg.zip', parameters('_artifactsLocationSasToken'))]"
          }
        }`);

const argumentIntoExisting = dsc(`"settings": {
          "configurationArguments": { "token": "[listAccountSas('acct', '2021-09-01', variables('sasProperties')).accountSasToken]", "n": 1 }
        },
        "protectedSettings": { "configurationArguments": { "password": "[parameters('pw')]" } }`,
  { parameters: `{ "pw": { "type": "secureString" } }`, variables: `{ "sasProperties": { "signedServices": "b" } }` },
);

const argumentTaken = dsc(`"settings": {
          "configurationArguments": { "token": "[parameters('storageSasToken')]" }
        },
        "protectedSettings": { "configurationArguments": { "TOKEN": "" } }`,
  { parameters: `{ "storageSasToken": { "type": "secureString" } }` },
);

const otherPlaces = dsc(`"settings": {
          "advancedOptions": { "downloadMappings": { "customWmfLocation": "https://h/wmf.msu?sv=2022-11-02&se=2030-01-01&sig=x" } },
          "configurationArguments": "[variables('args')]"
        }`,
  { variables: `{ "args": { "sas": "[parameters('_artifactsLocationSasToken')]" } }` },
);

/** settings.configuration given by a variable whose URL carries the token. */
const configurationVariable = dsc(`"settings": { "configuration": "[variables('cfg')]" }`, {
  variables: `{ "cfg": { "url": "[concat('https://h/x.zip', parameters('_artifactsLocationSasToken'))]", "script": "x.ps1", "function": "Main" } }`,
});
/** A legacy-format extension with a token under a key the handler does not define. */
const unknownKeyLegacy = dsc(`"settings": { "ModulesUrl": "https://h/x.zip", "ConfigurationFunction": "x.ps1\\\\Main", "extraSas": "[parameters('_artifactsLocationSasToken')]" }`);
/** A token under a key the handler does not define. */
const unknownKey = dsc(`"settings": { "configuration": { "url": "https://h/x.zip" }, "storageToken": "[parameters('_artifactsLocationSasToken')]" }`);
/** The configuration written a level too deep (valid-dsc-settings reports where it belongs), its URL carrying the token. */
const nestedUrl = dsc(`"settings": { "configuration": { "configuration": { "url": "[concat('https://h/x.zip', parameters('_artifactsLocationSasToken'))]" } } }`);

const opaque = dsc(`"settings": "[variables('dscSettings')]"`, {
  variables: `{ "dscSettings": { "configuration": { "url": "[concat(parameters('_artifactsLocation'), 'x.zip', parameters('_artifactsLocationSasToken'))]" } } }`,
});

/**
 * An inner-scoped deployment of a scale-set DSC extension with `settings`, which read the inner
 * parameter `innerName` (of type `innerType`), passed `passedValue` from the outer template.
 */
function innerDeployment(outerParameters: string, innerName: string, innerType: string, passedValue: string, settings: string): string {
  return nestedDeployment({
    scope: "inner",
    name: "dsc-deployment",
    outerParameters,
    passed: `{ "${innerName}": { "value": "${passedValue}" } }`,
    innerParameters: `{ "${innerName}": { "type": "${innerType}" } }`,
    resource: `{
  "type": "Microsoft.Compute/virtualMachineScaleSets/extensions",
  "apiVersion": "2024-07-01",
  "name": "vmss1/dsc",
  "properties": {
    "publisher": "Microsoft.Powershell",
    "type": "DSC",
    "settings": ${settings}
  }
}`,
  });
}

/** That deployment with a URL that appends the inner secure string `innerName`. */
function innerTokenDeployment(outerParameters: string, innerName: string, passedValue: string): string {
  return innerDeployment(outerParameters, innerName, "secureString", passedValue, `{ "configuration": { "url": "[concat('https://h/x.zip', parameters('${innerName}'))]" } }`);
}

/** That deployment with the inner parameter `sas` as the legacy SasToken. */
function legacyInnerToken(passedValue: string): string {
  const settings = `{ "ModulesUrl": "https://h/x.zip", "SasToken": "[parameters('sas')]", "ConfigurationFunction": "x.ps1\\\\Main" }`;
  return innerDeployment(`{ "legacyToken": { "type": "string", "defaultValue": "" } }`, "sas", "string", passedValue, settings);
}
/** The legacy SasToken of that deployment, passed the root parameter `legacyToken`, which a deployment may set. */
const legacyFromRoot = legacyInnerToken("[parameters('legacyToken')]");

const innerScope = innerTokenDeployment(ARTIFACTS, "token", "[parameters('_artifactsLocationSasToken')]");
/** The same passed to an inner parameter of the same name, as quickstart modules do: no hop worth naming. */
const innerSameName = innerTokenDeployment(ARTIFACTS, "_artifactsLocationSasToken", "[parameters('_artifactsLocationSasToken')]");
/** An unnamed secure string passed on to an inner secure parameter. */
const innerSecure = innerTokenDeployment(`{ "packageKey": { "type": "secureString" } }`, "key", "[parameters('packageKey')]");

/** A Key Vault secret passed for that inner secure string (Bicep's `kv.getSecret('x')` for a module's @secure() parameter). */
const innerKeyVault = innerTokenDeployment("{}", "key", "").replace(
  `{ "key": { "value": "" } }`,
  `{ "key": { "reference": { "keyVault": { "id": "[resourceId('Microsoft.KeyVault/vaults', 'kv')]" }, "secretName": "dscToken" } } }`,
);

/** Settings a user-defined function builds (Bicep's `func`), the token passed in: its output says where the token goes. */
const functionSettings = dsc(`"settings": "[ns.settings(parameters('_artifactsLocationSasToken'))]"`).replace(
  `"parameters": {`,
  `"functions": [{ "namespace": "ns", "members": { "settings": { "parameters": [{ "name": "tok", "type": "securestring" }], "output": { "type": "object", "value": { "configuration": { "url": "https://h/x.zip", "script": "x.ps1", "function": "Main" }, "configurationUrlSasToken": "[parameters('tok')]" } } } } }],
  "parameters": {`,
);

/** A secure string that a user-defined function appends to the URL it builds: the token, split only by hand. */
const functionUrl = dsc(`"settings": { "configuration": { "url": "[ns.url(parameters('packageKey'))]", "script": "x.ps1", "function": "Main" } }`, {
  parameters: `{ "packageKey": { "type": "secureString" } }`,
}).replace(
  `"parameters": {`,
  `"functions": [{ "namespace": "ns", "members": { "url": { "parameters": [{ "name": "key", "type": "securestring" }], "output": { "type": "string", "value": "[concat('https://h/x.zip', parameters('key'))]" } } } }],
  "parameters": {`,
);

/** A module's secure output named like a token (Bicep's `module.outputs.sasToken` of an @secure() output). */
const SECURE_OUTPUT = "listOutputsWithSecureValues(resourceId('Microsoft.Resources/deployments', 'sas'), '2022-09-01').sasToken";
const secureOutput = dsc(`"settings": { "configuration": { "url": "[concat('https://h/x.zip?', ${SECURE_OUTPUT})]", "script": "x.ps1", "function": "Main" } }`, { parameters: "{}" });

/** Secure strings with names that say nothing of a token, in download URLs (last, in the middle, the whole URL). */
const SECURE = `{
    "storageAccount": { "type": "string" },
    "packageKey": { "type": "secureString" },
    "dataKey": { "type": "secureString" },
    "packageUrl": { "type": "secureString" },
    "adminPassword": { "type": "secureString" }
  }`;
const secureInUrls = dsc(`"settings": {
          "configuration": { "url": "[format('https://{0}.blob.core.windows.net/dsc/x.zip{1}', parameters('storageAccount'), parameters('packageKey'))]", "script": "x.ps1", "function": "Main" },
          "configurationData": { "url": "[concat('https://h/data.psd1', parameters('dataKey'), '&sr=b')]" }
        },
        "protectedSettings": {
          "configurationArguments": { "cred": { "userName": "u", "password": "[parameters('adminPassword')]" } }
        }`, { parameters: SECURE });
/** Secure strings appended in one branch of an if(), and through string(). */
const secureInBranches = dsc(`"settings": {
          "configuration": { "url": "[if(parameters('useKey'), concat('https://h/x.zip', parameters('packageKey')), 'https://h/x.zip')]", "script": "x.ps1", "function": "Main" },
          "configurationData": { "url": "[concat('https://h/d.psd1', string(parameters('dataKey')))]" }
        }`, { parameters: `{ "useKey": { "type": "bool" }, "packageKey": { "type": "secureString" }, "dataKey": { "type": "secureString" } }` });
const secureWholeUrl = dsc(`"settings": { "configuration": { "url": "[parameters('packageUrl')]", "script": "x.ps1", "function": "Main" } }`, { parameters: SECURE });

const commented = dsc(`"settings": {
          "configurationArguments": {
            "nodeName": "localhost",
            "token": "[parameters('_artifactsLocationSasToken')]" // keep this note
          }
        }`);

const trailingCommas = dsc(`"settings": {
          "configuration": { "url": "[concat('https://h/x.zip', parameters('_artifactsLocationSasToken'))]", },
        },`);

runRuleTests("sas-token-in-protected-settings", rule, {
  valid: [
    ...examples,
    automation,
    // the token in its documented place
    dsc(`"settings": { "configuration": { "url": "[uri(parameters('_artifactsLocation'), 'x.zip')]" } },
        "protectedSettings": { "configurationUrlSasToken": "[parameters('_artifactsLocationSasToken')]" }`),
    // condition-only uses of the token do not leak it
    dsc(`"settings": { "configurationArguments": { "hasToken": "[not(empty(parameters('_artifactsLocationSasToken')))]", "n": "[length(parameters('_artifactsLocationSasToken'))]" } }`),
    // an empty legacy SasToken carries nothing
    dsc(`"settings": { "ModulesUrl": "https://h/x.zip", "SasToken": "", "ConfigurationFunction": "x.ps1\\\\Main" }`),
    // ... and neither does one that is "" or null in every deployment
    dsc(`"settings": { "ModulesUrl": "https://h/x.zip", "SasToken": "[variables('sas')]", "ConfigurationFunction": "x.ps1\\\\Main" }`, { variables: `{ "sas": "" }` }),
    dsc(`"settings": { "ModulesUrl": "https://h/x.zip", "SasToken": "[json('null')]", "ConfigurationFunction": "x.ps1\\\\Main" }`),
    dsc(`"settings": { "ModulesUrl": "https://h/x.zip", "SasToken": "[if(true(), '', 'x')]", "ConfigurationFunction": "x.ps1\\\\Main" }`),
    // ... including a nested template's parameter its deployment passes as ""
    legacyInnerToken(""),
    // a secure value that is the whole URL is a secret, not a token to move (credentials-in-protected-settings)
    secureWholeUrl,
    // settings and protectedSettings given by object parameters: asking them for a token key or SasToken finds no token
    dsc(`"settings": "[parameters('settings')]", "protectedSettings": "[parameters('protected')]"`, {
      parameters: `{ "settings": { "type": "object" }, "protected": { "type": "secureObject" } }`,
    }),
    // ... and neither does a deployment's output (Bicep's `settings: cfg.outputs.dscSettings`)
    dsc(`"settings": "[reference('cfg').outputs.dscSettings.value]"`),
    // members of an object named like a fact about a token, or below one named like it
    dsc(`"settings": { "configurationArguments": { "hours": "[parameters('storage').sasExpiryHours]", "account": "[parameters('storage').sasConfig.accountName]" } }`, {
      parameters: `{ "storage": { "type": "object" } }`,
    }),
    // ... also when the parameter itself is named like a token: its members are named by their own keys
    dsc(`"settings": { "configurationArguments": { "account": "[parameters('sasConfig').accountName]", "hours": "[parameters('sasConfig').expiryHours]" } }`, {
      parameters: `{ "sasConfig": { "type": "object", "defaultValue": { "accountName": "mystorage", "expiryHours": 4 } } }`,
    }),
    // names that merely contain the letters s-a-s
    dsc(`"settings": { "configurationArguments": { "site": "[parameters('disasterRecoverySite')]" } }`, {
      parameters: `{ "disasterRecoverySite": { "type": "string" } }`,
    }),
    // not a DSC extension
    dsc(`"settings": { "fileUris": ["[concat(parameters('_artifactsLocation'), 'x.ps1', parameters('_artifactsLocationSasToken'))]"] }`).replace(
      `"publisher": "Microsoft.Powershell",\n        "type": "DSC"`,
      `"publisher": "Microsoft.Compute",\n        "type": "CustomScriptExtension"`,
    ),
    // parameters files and other JSON
    `{ "$schema": "${PARAMETERS_SCHEMA}", "parameters": { "_artifactsLocationSasToken": { "value": "" } } }`,
    `{ "settings": { "configurationUrlSasToken": "x" } }`,
  ],
  invalid: [
    // a member named like a SAS token, of an object or secure object parameter
    ...["object", "secureObject"].map((type) =>
      memberSplit(objectMemberUrl(type), `"[concat('https://h/x.zip', parameters('storage').sasToken)]"`, `"https://h/x.zip"`, "[parameters('storage').sasToken]", "member sasToken of parameter 'storage'"),
    ),
    // a secure parameter appended through a member of an object variable
    memberSplit(variableMemberUrl, `"[concat(variables('dsc').url, variables('dsc').token)]"`, `"[variables('dsc').url]"`, "[variables('dsc').token]", "parameter 'storageKey'", " through variable 'dsc'"),
    splitCase(
      concatUrl,
      `"[concat(parameters('_artifactsLocation'), 'DSC/x.zip', parameters('_artifactsLocationSasToken'))]"`,
      `"[concat(parameters('_artifactsLocation'), 'DSC/x.zip')]"`,
      [`"function": "Main"\n          }\n        }`, `"function": "Main"\n          }\n        }${PROTECTED_TOKEN}`],
      { source: sasParam, path: "settings.configuration.url", tokenKey: "configurationUrlSasToken" },
    ),
    splitCase(
      uriUrl,
      `"[uri(parameters('_artifactsLocation'), concat('DSC/x.zip', parameters('_artifactsLocationSasToken')))]"`,
      `"[uri(parameters('_artifactsLocation'), 'DSC/x.zip')]"`,
      [`"password": "[parameters('pw')]" } }`, `"password": "[parameters('pw')]" } },\n          "configurationUrlSasToken": "[parameters('_artifactsLocationSasToken')]"`],
      { source: sasParam, path: "settings.configuration.url", tokenKey: "configurationUrlSasToken" },
    ),
    splitCase(
      formatUrl,
      `"[format('{1}data/{0}.psd1{2}', parameters('env'), parameters('_artifactsLocation'), parameters('_artifactsLocationSasToken'))]"`,
      `"[format('{1}data/{0}.psd1', parameters('env'), parameters('_artifactsLocation'))]"`,
      [`"protectedSettings": {}`, `"protectedSettings": {\n          "configurationDataUrlSasToken": "[parameters('_artifactsLocationSasToken')]"\n        }`],
      { source: sasParam, path: "settings.configurationData.url", tokenKey: "configurationDataUrlSasToken" },
    ),
    // the secure value in the middle of the data URL is not its token: credentials-in-protected-settings reports it
    splitCase(
      secureInUrls,
      `"[format('https://{0}.blob.core.windows.net/dsc/x.zip{1}', parameters('storageAccount'), parameters('packageKey'))]"`,
      `"[format('https://{0}.blob.core.windows.net/dsc/x.zip', parameters('storageAccount'))]"`,
      [`"password": "[parameters('adminPassword')]" } }`, `"password": "[parameters('adminPassword')]" } },\n          "configurationUrlSasToken": "[parameters('packageKey')]"`],
      { source: "parameter 'packageKey'", path: "settings.configuration.url", tokenKey: "configurationUrlSasToken" },
    ),
    {
      // appended last in a branch of an if(), only reported; through string(), split as any last piece
      code: secureInBranches,
      output: secureInBranches.replace(
        `"configurationData": { "url": "[concat('https://h/d.psd1', string(parameters('dataKey')))]" }\n        }`,
        `"configurationData": { "url": "https://h/d.psd1" }\n        },\n        "protectedSettings": {\n          "configurationDataUrlSasToken": "[string(parameters('dataKey'))]"\n        }`,
      ),
      errors: [
        errorAt(secureInBranches, "tokenInUrl", { ...on, source: "parameter 'packageKey'", via: "", path: "settings.configuration.url", tokenKey: "configurationUrlSasToken" }, `"[if(parameters('useKey'), concat('https://h/x.zip', parameters('packageKey')), 'https://h/x.zip')]"`),
        errorAt(secureInBranches, "tokenInUrl", { ...on, source: "parameter 'dataKey'", via: "", path: "settings.configurationData.url", tokenKey: "configurationDataUrlSasToken" }, `"[concat('https://h/d.psd1', string(parameters('dataKey')))]"`),
      ],
    },
    {
      code: innerSecure,
      output: innerSecure
        .replace(`"[concat('https://h/x.zip', parameters('key'))]" } }`, `"https://h/x.zip" } },\n                "protectedSettings": {\n                  "configurationUrlSasToken": "[parameters('key')]"\n                }`),
      errors: [
        errorAt(innerSecure, "tokenInUrl", { name: "vmss1/dsc", parent: "scale set 'vmss1'", source: "parameter 'packageKey'", via: " through parameter 'key'", path: "settings.configuration.url", tokenKey: "configurationUrlSasToken" }, `"[concat('https://h/x.zip', parameters('key'))]"`),
      ],
    },
    oneError(
      functionUrl,
      "tokenInUrl",
      { ...on, source: "parameter 'packageKey'", via: "", path: "settings.configuration.url", tokenKey: "configurationUrlSasToken" },
      `"[ns.url(parameters('packageKey'))]"`,
    ),
    oneError(
      functionSettings,
      "tokenInSettings",
      { ...on, source: sasParam, via: "", path: "settings.configurationUrlSasToken", advice: "move configurationUrlSasToken to protectedSettings where the settings are written" },
      `"[ns.settings(parameters('_artifactsLocationSasToken'))]"`,
    ),
    {
      code: secureOutput,
      output: secureOutput.replace(
        `"[concat('https://h/x.zip?', ${SECURE_OUTPUT})]", "script": "x.ps1", "function": "Main" } }`,
        `"https://h/x.zip?", "script": "x.ps1", "function": "Main" } },\n        "protectedSettings": {\n          "configurationUrlSasToken": "[${SECURE_OUTPUT}]"\n        }`,
      ),
      errors: [
        errorAt(secureOutput, "tokenInUrl", { ...on, source: "listOutputsWithSecureValues().sasToken", via: "", path: "settings.configuration.url", tokenKey: "configurationUrlSasToken" }, `"[concat('https://h/x.zip?', ${SECURE_OUTPUT})]"`),
      ],
    },
    {
      code: innerKeyVault,
      output: innerKeyVault.replace(
        `"[concat('https://h/x.zip', parameters('key'))]" } }`,
        `"https://h/x.zip" } },\n                "protectedSettings": {\n                  "configurationUrlSasToken": "[parameters('key')]"\n                }`,
      ),
      errors: [
        errorAt(innerKeyVault, "tokenInUrl", { name: "vmss1/dsc", parent: "scale set 'vmss1'", source: "a Key Vault secret", via: " through parameter 'key'", path: "settings.configuration.url", tokenKey: "configurationUrlSasToken" }, `"[concat('https://h/x.zip', parameters('key'))]"`),
      ],
    },
    oneError(middle, "tokenInUrl", { ...on, source: sasParam, via: "", path: "settings.configuration.url", tokenKey: "configurationUrlSasToken" }, `"[concat(parameters('_artifactsLocation'), parameters('_artifactsLocationSasToken'), '&x=DSC.zip')]"`),
    {
      code: privateVariable,
      output: privateVariable
        .replace(
          `"zipUrl": "[concat(parameters('_artifactsLocation'), 'DSC/x.zip', parameters('_artifactsLocationSasToken'))]"`,
          `"zipUrl": "[concat(parameters('_artifactsLocation'), 'DSC/x.zip')]"`,
        )
        .replace(`"url": "[variables('zipUrl')]" } }`, `"url": "[variables('zipUrl')]" } }${PROTECTED_TOKEN}`),
      errors: [
        errorAt(privateVariable, "tokenInUrl", { ...on, source: sasParam, via: " through variable 'zipUrl'", path: "settings.configuration.url", tokenKey: "configurationUrlSasToken" }, `"[variables('zipUrl')]"`),
      ],
    },
    {
      code: sharedVariable,
      errors: [
        {
          messageId: "tokenInUrl",
          data: { ...on, source: sasParam, via: " through variable 'zipUrl'", path: "settings.configuration.url", tokenKey: "configurationUrlSasToken" },
          ...at(sharedVariable, `"[variables('zipUrl')]"`, 2),
          suggestions: [
            {
              messageId: "inlineAndSplit",
              data: { variables: "'zipUrl'", tokenKey: "configurationUrlSasToken" },
              output: sharedVariable.replace(
                `"url": "[variables('zipUrl')]" } }`,
                `"url": "[concat(parameters('_artifactsLocation'), 'DSC/x.zip')]" } }${PROTECTED_TOKEN}`,
              ),
            },
          ],
        },
      ],
    },
    alsoProtected(keyTaken),
    alsoProtected(keyTakenInVariable),
    alsoProtected(protectedConstantIf),
    alsoProtected(protectedLastSetterAlways),
    {
      code: protectedListSas,
      errors: [
        {
          ...errorAt(
            protectedListSas,
            "tokenInUrlAndProtected",
            { ...on, source: "listAccountSas()", via: "", path: "settings.configuration.url", tokenKey: "configurationUrlSasToken", when: "", advice: "take the token out of the URL" },
            `"[concat('https://h/x.zip?', ${LIST_SAS})]"`,
          ),
          suggestions: [{ messageId: "removeFromUrl", data: { tokenKey: "configurationUrlSasToken" }, output: protectedListSas.replace(`"[concat('https://h/x.zip?', ${LIST_SAS})]"`, `"https://h/x.zip?"`) }],
        },
      ],
    },
    oneError(
      referenceSettings,
      "tokenInSettings",
      {
        ...on,
        source: "reference().outputs.sasUrl.value",
        via: "",
        path: "settings.configuration.url",
        advice: "take it out of the URL where the settings are written and pass it in protectedSettings.configurationUrlSasToken",
      },
      `"[createObject('configuration', createObject('url', reference('storage').outputs.sasUrl.value))]"`,
    ),
    alsoProtected(protectedCoalesced),
    alsoProtected(protectedArrayElement),
    alsoProtected(protectedFormatted),
    // a merged protectedSettings passes the token as an argument, not in its token key: no second append
    ...[unionProtected, shallowMergeProtected].map((code) =>
      oneError(code, "tokenInUrl", { ...on, source: sasParam, via: "", path: "settings.configuration.url", tokenKey: "configurationUrlSasToken" }, `"[concat(parameters('_artifactsLocation'), 'x.zip', parameters('_artifactsLocationSasToken'))]"`),
    ),
    oneError(
      mergedSettingsKey,
      "tokenInSettings",
      { ...on, source: sasParam, via: "", path: "settings.configurationUrlSasToken", advice: "move configurationUrlSasToken to protectedSettings where the settings are written" },
      `"[shallowMerge(createArray(variables('base'), createObject('configurationUrlSasToken', parameters('_artifactsLocationSasToken'))))]"`,
    ),
    // the protected token is left out in some deployments, where the URL needs its own: no suggestion
    ...[protectedSometimes, protectedValueSometimes, protectedSometimesInVariable, protectedSometimesInUnion, protectedSometimesMember, protectedOverridden, protectedSometimesFormatted, protectedSometimesDefault, protectedSometimesObjectDefault, protectedNullable, protectedSometimesBuilt].map((code) => ({
      code,
      errors: [
        {
          ...errorAt(
            code,
            "tokenInUrlAndProtected",
            {
              ...on,
              source: sasParam,
              via: "",
              path: "settings.configuration.url",
              tokenKey: "configurationUrlSasToken",
              when: " (perhaps not in every deployment)",
              advice: "pass the token in one place only, in every deployment",
            },
            `"[concat(parameters('_artifactsLocation'), 'x.zip', parameters('_artifactsLocationSasToken'))]"`,
          ),
          suggestions: [],
        },
      ],
    })),
    {
      code: moduleDefaultSometimes,
      errors: [
        {
          ...errorAt(
            moduleDefaultSometimes,
            "tokenInUrlAndProtected",
            {
              ...on,
              source: "parameter '_artifactsLocationSasToken' through parameter 'urlTok'",
              via: "",
              path: "settings.configuration.url",
              tokenKey: "configurationUrlSasToken",
              when: " (perhaps not in every deployment)",
              advice: "pass the token in one place only, in every deployment",
            },
            `"[concat(parameters('loc'), 'x.zip', parameters('urlTok'))]"`,
          ),
          suggestions: [],
        },
      ],
    },
    oneError(protectedIsToken, "tokenInUrl", { ...on, source: sasParam, via: "", path: "settings.configuration.url", tokenKey: "configurationUrlSasToken" }, `"[concat(parameters('_artifactsLocation'), 'x.zip', parameters('_artifactsLocationSasToken'))]"`),
    oneError(keyTakenByOther, "tokenInUrl", { ...on, source: sasParam, via: "", path: "settings.configuration.url", tokenKey: "configurationUrlSasToken" }, `"[concat(parameters('_artifactsLocation'), 'x.zip', parameters('_artifactsLocationSasToken'))]"`),
    {
      code: literalUrl,
      output: literalUrl.replace(
        `"url": "https://acct.blob.core.windows.net/dsc/x.zip?sv=2022-11-02&sp=r&se=2030-01-01&sig=AbC%3D" } }`,
        `"url": "https://acct.blob.core.windows.net/dsc/x.zip" } },\n        "protectedSettings": {\n          "configurationUrlSasToken": "?sv=2022-11-02&sp=r&se=2030-01-01&sig=AbC%3D"\n        }`,
      ),
      errors: [
        {
          messageId: "tokenInUrl",
          data: {
            ...on,
            source: "the literal token '?sv=2022-11-02&sp=r&se=2030-01-01&sig=***'",
            via: "",
            path: "settings.configuration.url",
            tokenKey: "configurationUrlSasToken",
          },
          ...at(literalUrl, `"https://acct.blob.core.windows.net/dsc/x.zip?sv=2022-11-02&sp=r&se=2030-01-01&sig=AbC%3D"`),
        },
      ],
    },
    // moved, the key starts to be used (the handler does not read it in public settings): a suggestion
    {
      code: misplaced,
      errors: [
        {
          messageId: "misplacedKey",
          data: { ...on, key: "configurationUrlSasToken", advice: MOVE },
          ...at(misplaced, `"configurationUrlSasToken"`),
          suggestions: [
            {
              messageId: "moveKey",
              data: { key: "configurationUrlSasToken" },
              output: misplaced.replace(
                `"url": "[uri(parameters('_artifactsLocation'), 'x.zip')]" },\n          "configurationUrlSasToken": "[parameters('_artifactsLocationSasToken')]"\n        }`,
                `"url": "[uri(parameters('_artifactsLocation'), 'x.zip')]" }\n        }${PROTECTED_TOKEN}`,
              ),
            },
          ],
        },
      ],
    },
    {
      code: misplacedIntoExisting,
      errors: [
        {
          ...errorAt(misplacedIntoExisting, "misplacedKey", { ...on, key: "ConfigurationDataUrlSasToken", advice: MOVE }, `"ConfigurationDataUrlSasToken"`),
          suggestions: [
            {
              messageId: "moveKey",
              data: { key: "ConfigurationDataUrlSasToken" },
              output: misplacedIntoExisting
        .replace(
          `"url": "[uri(parameters('_artifactsLocation'), 'data.psd1')]" },\n          // the data token\n          "ConfigurationDataUrlSasToken": "[parameters('_artifactsLocationSasToken')]"\n        }`,
          `"url": "[uri(parameters('_artifactsLocation'), 'data.psd1')]" }\n        }`,
        )
        .replace(
          `"configurationArguments": {}\n        }`,
          `"configurationArguments": {},\n          // the data token\n          "ConfigurationDataUrlSasToken": "[parameters('_artifactsLocationSasToken')]"\n        }`,
        ),
            },
          ],
        },
      ],
    },
    oneError(misplacedTwice, "misplacedKey", { ...on, key: "configurationUrlSasToken", advice: "protectedSettings already has configurationUrlSasToken, so remove this one" }, `"configurationUrlSasToken"`),
    {
      code: misplacedBesideToken,
      errors: [
        errorAt(
          misplacedBesideToken,
          "tokenInUrl",
          { ...on, source: sasParam, via: "", path: "settings.configuration.url", tokenKey: "configurationUrlSasToken" },
          `"[concat(parameters('_artifactsLocation'), 'x.zip', parameters('_artifactsLocationSasToken'))]"`,
        ),
        errorAt(
          misplacedBesideToken,
          "misplacedKey",
          { ...on, key: "configurationUrlSasToken", advice: "settings.configuration.url carries a token already, so remove this one (in protectedSettings the handler would append it a second time)" },
          `"configurationUrlSasToken"`,
        ),
      ],
    },
    oneError(
      urlBesideInnerProtected,
      "tokenInUrl",
      { ...on, source: sasParam, via: "", path: "settings.configuration.url", tokenKey: "configurationUrlSasToken" },
      `"[concat(parameters('_artifactsLocation'), 'x.zip', parameters('_artifactsLocationSasToken'))]"`,
    ),
    {
      code: misplacedBesideTokenSometimes,
      errors: [
        errorAt(misplacedBesideTokenSometimes, "tokenInUrl", { ...on, source: sasParam, via: "", path: "settings.configuration.url", tokenKey: "configurationUrlSasToken" }, `"${IF_URL}"`),
        errorAt(
          misplacedBesideTokenSometimes,
          "misplacedKey",
          { ...on, key: "configurationUrlSasToken", advice: "settings.configuration.url carries a token already in some deployments, so remove this one (in protectedSettings the handler would append it a second time)" },
          `"configurationUrlSasToken"`,
        ),
      ],
    },
    oneError(misplacedUrlSometimes, "misplacedKey", { ...on, key: "configurationDataUrlSasToken", advice: urlFirst("configurationData") }, `"configurationDataUrlSasToken"`),
    // only reported: no configurationData.url, which the moved key would require
    oneError(misplacedWithoutUrl, "misplacedKey", { ...on, key: "configurationDataUrlSasToken", advice: urlFirst("configurationData") }, `"configurationDataUrlSasToken"`),
    oneError(misplacedNullUrl, "misplacedKey", { ...on, key: "configurationUrlSasToken", advice: urlFirst("configuration") }, `"configurationUrlSasToken"`),
    {
      code: misplacedKeyVault,
      errors: [
        { messageId: "misplacedKey", data: { ...on, key: "configurationUrlSasToken", advice: urlFirst("configuration") }, ...at(misplacedKeyVault, `"configurationUrlSasToken"`) },
      ],
    },
    {
      code: legacy,
      errors: [
        errorAt(legacy, "tokenInLegacyUrl", { ...on, source: sasParam, via: "", path: "settings.ModulesUrl" }, `"[concat(parameters('_artifactsLocation'), '/DSC/x.zip', parameters('_artifactsLocationSasToken'))]"`),
        errorAt(legacy, "legacySasToken", { ...on, key: "SasToken" }, `"SasToken"`),
        errorAt(legacy, "tokenInLegacyArgument", { ...on, source: sasParam, via: "", argument: "packageUrl", path: "settings.Properties" }, `"[concat('https://h/p.zip', parameters('_artifactsLocationSasToken'))]"`),
      ],
    },
    oneError(legacyAcronym, "tokenInLegacyArgument", { ...on, source: "parameter 'SQLSASUrl'", via: "", argument: "SQLSASUrl", path: "settings.Properties" }, `"[parameters('SQLSASUrl')]"`),
    // the root parameter's default is "", but a deployment may pass a token
    oneError(legacyFromRoot, "legacySasToken", { name: "vmss1/dsc", parent: "scale set 'vmss1'", key: "SasToken" }, `"SasToken"`),
    {
      code: argument,
      output: argument.replace(
        `"nodeName": "localhost",\n            "packageUrl": "[concat(parameters('_artifactsLocation'), 'pkg.zip', parameters('_artifactsLocationSasToken'))]"\n          }\n        }`,
        `"nodeName": "localhost"\n          }\n        },\n        "protectedSettings": {\n          "configurationArguments": {\n            "packageUrl": "[concat(parameters('_artifactsLocation'), 'pkg.zip', parameters('_artifactsLocationSasToken'))]"\n          }\n        }`,
      ),
      errors: [
        errorAt(argument, "tokenInArgument", { ...on, source: sasParam, via: "", argument: "packageUrl" }, `"[concat(parameters('_artifactsLocation'), 'pkg.zip', parameters('_artifactsLocationSasToken'))]"`),
      ],
    },
    {
      code: argumentIntoExisting,
      output: argumentIntoExisting
        .replace(`{ "token": "[listAccountSas('acct', '2021-09-01', variables('sasProperties')).accountSasToken]", "n": 1 }`, `{ "n": 1 }`)
        .replace(
          `{ "password": "[parameters('pw')]" }`,
          `{ "password": "[parameters('pw')]", "token": "[listAccountSas('acct', '2021-09-01', variables('sasProperties')).accountSasToken]" }`,
        ),
      errors: [
        errorAt(argumentIntoExisting, "tokenInArgument", { ...on, source: "listAccountSas()", via: "", argument: "token" }, `"[listAccountSas('acct', '2021-09-01', variables('sasProperties')).accountSasToken]"`),
      ],
    },
    // the protected arguments have it already: the advice is to remove the public one
    oneError(argumentTaken, "tokenAlsoProtected", { ...on, source: "parameter 'storageSasToken'", via: "", argument: "token", twin: "TOKEN", when: "" }, `"[parameters('storageSasToken')]"`),
    {
      code: otherPlaces,
      errors: [
        {
          messageId: "tokenInSettings",
          data: {
            ...on,
            source: "the literal token '?sv=2022-11-02&se=2030-01-01&sig=***'",
            via: "",
            path: "settings.advancedOptions.downloadMappings.customWmfLocation",
            advice: "the handler reads this value from public settings only, so use one that needs no token",
          },
          ...at(otherPlaces, `"https://h/wmf.msu?sv=2022-11-02&se=2030-01-01&sig=x"`),
        },
        errorAt(otherPlaces, "tokenInSettings", { ...on, source: sasParam, via: " through variable 'args'", path: "settings.configurationArguments", advice: "pass the argument in protectedSettings.configurationArguments" }, `"[variables('args')]"`),
      ],
    },
    {
      code: configurationVariable,
      errors: [
        errorAt(
          configurationVariable,
          "tokenInSettings",
          { ...on, source: sasParam, via: " through variable 'cfg'", path: "settings.configuration", advice: "take it out of the URL where configuration is written and pass it in protectedSettings.configurationUrlSasToken" },
          `"[variables('cfg')]"`,
        ),
      ],
    },
    {
      // the legacy format's protected arguments: the current format's would mix the two
      code: unknownKeyLegacy,
      errors: [
        errorAt(
          unknownKeyLegacy,
          "tokenInSettings",
          {
            ...on,
            source: sasParam,
            via: "",
            path: "settings.extraSas",
            advice: "the handler documents no such key, so it is most likely ignored: remove it, or pass the token in protectedSettings.Properties if the configuration needs it",
          },
          `"[parameters('_artifactsLocationSasToken')]"`,
        ),
      ],
    },
    oneError(
      nestedUrl,
      "tokenInSettings",
      {
        ...on,
        source: sasParam,
        via: "",
        path: "settings.configuration.configuration.url",
        advice: "the handler does not read this URL here: move it to settings.configuration.url, take the token out of it and pass it in protectedSettings.configurationUrlSasToken",
      },
      `"[concat('https://h/x.zip', parameters('_artifactsLocationSasToken'))]"`,
    ),
    {
      code: unknownKey,
      errors: [
        errorAt(
          unknownKey,
          "tokenInSettings",
          {
            ...on,
            source: sasParam,
            via: "",
            path: "settings.storageToken",
            advice: "the handler documents no such key, so it is most likely ignored: remove it, or pass the token in protectedSettings.configurationArguments if the configuration needs it",
          },
          `"[parameters('_artifactsLocationSasToken')]"`,
        ),
      ],
    },
    oneError(opaque, "tokenInSettings", { ...on, source: sasParam, via: " through variable 'dscSettings'", path: "settings.configuration.url", advice: "take it out of the URL where the settings are written and pass it in protectedSettings.configurationUrlSasToken" }, `"[variables('dscSettings')]"`),
    {
      // the moved argument keeps its comment in the created protectedSettings
      code: commented,
      output: commented.replace(
        `"nodeName": "localhost",
            "token": "[parameters('_artifactsLocationSasToken')]" // keep this note
          }
        }`,
        `"nodeName": "localhost"
          }
        },
        "protectedSettings": {
          "configurationArguments": {
            "token": "[parameters('_artifactsLocationSasToken')]" // keep this note
          }
        }`,
      ),
      errors: [errorAt(commented, "tokenInArgument", { ...on, source: sasParam, via: "", argument: "token" }, `"[parameters('_artifactsLocationSasToken')]"`)],
    },
    {
      code: trailingCommas,
      output: trailingCommas.replace(
        `"url": "[concat('https://h/x.zip', parameters('_artifactsLocationSasToken'))]", },\n        },`,
        `"url": "https://h/x.zip", },\n        },\n        "protectedSettings": {\n          "configurationUrlSasToken": "[parameters('_artifactsLocationSasToken')]"\n        },`,
      ),
      errors: [
        errorAt(trailingCommas, "tokenInUrl", { ...on, source: sasParam, via: "", path: "settings.configuration.url", tokenKey: "configurationUrlSasToken" }, `"[concat('https://h/x.zip', parameters('_artifactsLocationSasToken'))]"`),
      ],
    },
    {
      code: innerScope,
      output: innerScope.replace(
        `"settings": { "configuration": { "url": "[concat('https://h/x.zip', parameters('token'))]" } }`,
        `"settings": { "configuration": { "url": "https://h/x.zip" } },\n                "protectedSettings": {\n                  "configurationUrlSasToken": "[parameters('token')]"\n                }`,
      ),
      errors: [
        {
          messageId: "tokenInUrl",
          data: {
            name: "vmss1/dsc",
            parent: "scale set 'vmss1'",
            source: sasParam,
            via: " through parameter 'token'",
            path: "settings.configuration.url",
            tokenKey: "configurationUrlSasToken",
          },
          ...at(innerScope, `"[concat('https://h/x.zip', parameters('token'))]"`),
        },
      ],
    },
    {
      code: innerSameName,
      output: innerSameName.replace(
        `"settings": { "configuration": { "url": "[concat('https://h/x.zip', parameters('_artifactsLocationSasToken'))]" } }`,
        `"settings": { "configuration": { "url": "https://h/x.zip" } },\n                "protectedSettings": {\n                  "configurationUrlSasToken": "[parameters('_artifactsLocationSasToken')]"\n                }`,
      ),
      errors: [
        errorAt(
          innerSameName,
          "tokenInUrl",
          { name: "vmss1/dsc", parent: "scale set 'vmss1'", source: sasParam, via: "", path: "settings.configuration.url", tokenKey: "configurationUrlSasToken" },
          `"[concat('https://h/x.zip', parameters('_artifactsLocationSasToken'))]"`,
        ),
      ],
    },
  ],
});
