import { readFileSync } from "node:fs";
import { test } from "node:test";
import assert from "node:assert/strict";
import rule from "../../rules/valid-dsc-settings.js";
import { runRuleTests, type InvalidCase } from "../helpers/tester.js";
import { at, errorAt, oneError, PARAMETERS_SCHEMA, SCHEMA } from "../helpers/at.js";
import { deploymentTemplate, scaleSetResource } from "../helpers/templates.js";
import { editDistance, splitConfigurationFunction } from "../../lib/template/settings-schema.js";

interface Parts {
  parameters?: string;
  variables?: string;
  type?: string;
}

/** Indents every line of `text` but the first by `pad`. */
function indent(text: string, pad: string): string {
  return text
    .split("\n")
    .map((line, i) => (i === 0 || line === "" ? line : pad + line))
    .join("\n");
}

/** A top-level DSC extension on VM 'vm1' whose `properties` continue with `body` (written unindented). */
function ext(body: string, { parameters = "{}", variables = "{}", type = `"DSC"` }: Parts = {}): string {
  const resource = `    {
      "type": "Microsoft.Compute/virtualMachines/extensions",
      "apiVersion": "2024-07-01",
      "name": "vm1/dsc",
      "properties": {
        "publisher": "Microsoft.Powershell",
        "type": ${type},
        "typeHandlerVersion": "2.83",
        ${indent(body, "        ")}
      }
    }`;
  return deploymentTemplate(resource, { parameters, variables });
}

/** A scale set whose profile holds one DSC extension with the given `settings` value. */
function vmss(settings: string): string {
  return `{
  "$schema": "${SCHEMA}",
  "contentVersion": "1.0.0.0",
  "resources": [
${scaleSetResource(`            "extensions": [
              {
                "name": "dsc",
                "properties": { "publisher": "Microsoft.Powershell", "type": "DSC", "typeHandlerVersion": "2.83", "settings": ${settings} }
              }
            ]`)}
  ]
}`;
}

type ErrorCase = Exclude<InvalidCase["errors"], number>[number];

const on = { name: "vm1/dsc", parent: "virtual machine 'vm1'" };
const onVmss = { name: "dsc", parent: "scale set 'vmss1'" };

// ---------------------------------------------------------------------------------------------
// Valid layouts of the domain reference (§1.2, §1.3) and the examples

const currentFull = ext(`"settings": {
  "wmfVersion": "latest",
  "configuration": { "url": "https://example.org/config.zip", "script": "ConfigurationScript.ps1", "function": "ConfigurationFunction" },
  "configurationArguments": { "argument1": "Value1" },
  "configurationData": { "url": "https://foo.psd1" },
  "privacy": { "dataCollection": "enable" },
  "advancedOptions": { "forcePullAndApply": false, "downloadMappings": { "customWmfLocation": "http://example.org/wmf" } }
},
"protectedSettings": {
  "configurationArguments": { "parameterOfTypePSCredential1": { "userName": "user", "password": "p" } },
  "configurationUrlSasToken": "?g!bber1sht0k3n",
  "configurationDataUrlSasToken": "?dataAcC355T0k3N"
}`);

const legacyWithRefs = ext(`"settings": {
  "WMFVersion": "latest",
  "ModulesUrl": "https://example.org/ConfigurationScript.ps1.zip",
  "SasToken": "SAS Token if ModulesUrl points to private Azure Blob Storage",
  "ConfigurationFunction": "ConfigurationScript.ps1\\\\ConfigurationFunction",
  "Properties": {
    "ParameterToConfigurationFunction1": "Value1",
    "ParameterOfTypePSCredential1": { "UserName": "UsernameValue1", "Password": "PrivateSettingsRef:Key1" }
  }
},
"protectedSettings": {
  "Items": { "Key1": "PasswordValue1" },
  "DataBlobUri": "https://example.org/ConfigurationData.psd1"
}`);

const automationLegacy = ext(
  `"protectedSettings": {
  "Items": {
    "registrationKeyPrivate": "[listKeys(resourceId('Microsoft.Automation/automationAccounts/', parameters('automationAccountName')), '2018-06-30').Keys[0].value]"
  }
},
"settings": {
  "Properties": [
    {
      "Name": "RegistrationKey",
      "Value": { "UserName": "PLACEHOLDER_DONOTUSE", "Password": "PrivateSettingsRef:registrationKeyPrivate" },
      "TypeName": "System.Management.Automation.PSCredential"
    },
    {
      "Name": "RegistrationUrl",
      "Value": "[reference(concat('Microsoft.Automation/automationAccounts/', parameters('automationAccountName'))).registrationUrl]",
      "TypeName": "System.String"
    },
    { "Name": "NodeConfigurationName", "Value": "[parameters('nodeConfigurationName')]", "TypeName": "System.String" }
  ]
}`,
  {
    parameters: `{ "automationAccountName": { "type": "string" }, "nodeConfigurationName": { "type": "string" } }`,
  },
);

const automationCurrent = ext(
  `"settings": {
  "configurationArguments": {
    "RegistrationUrl": "[reference(parameters('automationAccountId'), '2018-06-30').registrationUrl]",
    "NodeConfigurationName": "web.localhost",
    "ConfigurationMode": "ApplyAndAutoCorrect",
    "RebootNodeIfNeeded": true
  }
},
"protectedSettings": {
  "configurationArguments": {
    "RegistrationKey": { "userName": "NOT_USED", "Password": "[listKeys(parameters('automationAccountId'), '2018-06-30').Keys[0].value]" }
  }
}`,
  { parameters: `{ "automationAccountId": { "type": "string" } }` },
);

const example = (file: string) => readFileSync(new URL(`../../examples/${file}`, import.meta.url), "utf8");

// ---------------------------------------------------------------------------------------------
// Handler input errors

// A brace in the wrong place: the protected block ended up inside settings.
const protectedInside = ext(`"settings": {
  "configuration": { "url": "https://example.org/c.zip", "script": "c.ps1", "function": "Main" },
  "protectedSettings": { "configurationArguments": { "password": "[parameters('pw')]" } }
}`, { parameters: `{ "pw": { "type": "secureString" } }` });
const protectedBoth = ext(`"settings": { "ProtectedSettingsFromKeyVault": { "secretUrl": "https://kv/s" } },
"protectedSettingsFromKeyVault": { "secretUrl": "https://kv/t" }`);
const tokenAsArgument = ext(`"settings": { "configuration": { "url": "https://example.org/c.zip", "script": "c.ps1", "function": "Main" } },
"protectedSettings": { "configurationArguments": { "ConfigurationUrlSasToken": "[parameters('sas')]", "domain": "contoso" } }`, {
  parameters: `{ "sas": { "type": "secureString" } }`,
});
const protectedBesideVault = ext(`"settings": { "protectedSettings": { "Items": { "k": "v" } } },
"protectedSettingsFromKeyVault": { "secretUrl": "https://kv/t" }`);

const urlAlone = ext(`"settings": { "configuration": { "url": "https://example.org/c.zip" } }`);
const urlWithoutFunction = ext(`"settings": { "configuration": { "url": "https://example.org/c.zip", "script": "c.ps1" } }`);
const scriptAlone = ext(`"settings": { "configuration": { "script": "c.ps1", "function": "Main", "module": { "name": "M" } } }`);
const functionAlone = ext(`"settings": { "configuration": { "function": "Main" } }`);
const tokenWithoutUrl = ext(`"settings": {},
"protectedSettings": { "configurationUrlSasToken": "[parameters('sas')]" }`, {
  parameters: `{ "sas": { "type": "secureString", "defaultValue": "" } }`,
});
const dataTokenWithoutUrl = ext(`"settings": { "configuration": { "url": "https://example.org/c.zip", "script": "c.ps1", "function": "Main" } },
"protectedSettings": { "configurationDataUrlSasToken": "?sv=1" }`);
const legacyUrlAlone = ext(`"settings": { "ModulesUrl": "https://example.org/c.zip", "SasToken": "" }`);
const legacyFunctionAlone = ext(`"settings": { "ConfigurationFunction": "c.ps1\\\\Main" }`);
const urlNullVariable = ext(`"settings": { "configuration": { "url": "[variables('url')]", "script": "c.ps1" } }`, {
  variables: `{ "url": "[json('null')]" }`,
});
const duplicates = ext(`"settings": { "configurationArguments": { "nodeName": "localhost", "Port": 80 } },
"protectedSettings": { "configurationArguments": { "NodeName": "localhost", "password": "p" } }`);
// an argument that is null in every deployment is not passed: no duplicate
const nullDuplicate = ext(`"settings": { "configurationArguments": { "nodeName": "localhost", "Port": null } },
"protectedSettings": { "configurationArguments": { "NodeName": null, "port": 80 } }`);
const legacyDuplicates = ext(`"settings": { "Properties": [{ "Name": "Admin", "Value": "a" }] },
"protectedSettings": { "Properties": { "admin": "b" } }`);
// duplicates read through expressions: a variable on either side, a whole block from a parameter's default
const duplicatesFromVariable = ext(`"settings": { "configurationArguments": "[variables('pubArgs')]" },
"protectedSettings": { "configurationArguments": { "domain": "y" } }`, { variables: `{ "pubArgs": { "Domain": "contoso.com", "Mode": "x" } }` });
const duplicatesIntoVariable = ext(`"settings": { "configurationArguments": { "Domain": "contoso.com" } },
"protectedSettings": "[variables('ps')]"`, { variables: `{ "ps": { "configurationArguments": { "DOMAIN": "y" } } }` });
const duplicatesBothPassed = ext(`"settings": { "Properties": "[parameters('legacy')]" },
"protectedSettings": { "Properties": "[variables('protArgs')]" }`, {
  parameters: `{ "legacy": { "type": "array", "defaultValue": [{ "Name": "Admin", "Value": "a" }, { "Name": "admin", "Value": "b" }] } }`,
  variables: `{ "protArgs": { "admin": "[parameters('pw')]" } }`,
});
// passed arguments that are null, or names that differ: no duplicate
const passedNotDuplicate = ext(`"settings": { "configurationArguments": "[variables('pubArgs')]" },
"protectedSettings": { "configurationArguments": "[variables('protArgs')]" }`, {
  variables: `{ "pubArgs": { "Domain": null, "Mode": "x" }, "protArgs": { "domain": "y", "Modes": "z" } }`,
});
const argumentsString = ext(`"settings": { "configurationArguments": "nodeName=localhost" }`);
const argumentsArray = ext(`"settings": { "configurationArguments": [{ "Name": "nodeName", "Value": "localhost" }] }`);
const argumentsNumber = ext(`"protectedSettings": { "configurationArguments": 5 }`);
const argumentsFromParameter = ext(`"settings": { "configurationArguments": "[parameters('args')]" }`, {
  parameters: `{ "args": { "type": "string", "defaultValue": "nodeName=localhost" } }`,
});

// Values

const wmfBad = ext(`"settings": { "wmfVersion": "5.2" }`);
const wmfNumber = ext(`"settings": { "WMFVersion": 5.1 }`);
const wmfChoice = ext(`"settings": { "wmfVersion": "[parameters('wmf')]" }`, {
  parameters: `{ "wmf": { "type": "string", "defaultValue": "latest", "allowedValues": ["latest", "5.1", "3.0"] } }`,
});
const wmfVariable = ext(`"settings": { "wmfVersion": "[variables('wmf')]" }`, { variables: `{ "wmf": "5.1PP" }` });
const privacyBad = ext(`"settings": { "Privacy": { "DataCollection": "off" } }`);

// Unknown and misplaced keys

const unknownPlain = ext(`"settings": { "wmfVersion": "latest", "retries": 3 }`);
const didYouMeanSettings = ext(`"settings": {
  "configuration": { "url": "https://example.org/c.zip", "script": "c.ps1", "function": "Main" },
  "configurationArgument": { "nodeName": "localhost" }
}`);
// ... where the protected arguments have one of its arguments: renamed, it would be a duplicate the handler rejects.
const didYouMeanDuplicate = ext(`"settings": {
  "configuration": { "url": "https://example.org/c.zip", "script": "c.ps1", "function": "Main" },
  "configurationArgument": { "nodeName": "localhost" }
},
"protectedSettings": { "configurationArguments": { "NodeName": "localhost" } }`);
// A misplaced protected block whose argument the public arguments have too.
const protectedInsideDuplicate = ext(`"settings": {
  "configuration": { "url": "https://example.org/c.zip", "script": "c.ps1", "function": "Main" },
  "configurationArguments": { "Password": "x" },
  "protectedSettings": { "configurationArguments": { "password": "[parameters('pw')]" } }
}`, { parameters: `{ "pw": { "type": "secureString" } }` });
const didYouMeanProtected = ext(`"settings": {},
"protectedSettings": { "configurationArguements": { "arg2": "[parameters('arg2')]" } }`, {
  parameters: `{ "arg2": { "type": "secureString" } }`,
});
const didYouMeanNested = ext(`"settings": {
  "configuration": { "url": "https://example.org/c.zip", "scirpt": "c.ps1", "function": "Main", "module": { "name": "M", "versoin": "1.0" } },
  "configurationData": { "uri": "https://example.org/d.psd1" },
  "privacy": { "dataColection": "Disable" },
  "advancedOptions": { "forcePullAndAply": true }
}`);
const targetExists = ext(`"settings": { "configurationArguments": {}, "configurationArgument": {} }`);
const shapeMismatch = ext(`"settings": { "configurations": "https://example.org/c.zip" }`);
const legacyTypo = ext(`"settings": { "ModuleUrl": "https://example.org/c.zip", "ConfigurationFunction": "c.ps1\\\\Main" }`);
const misplaced = ext(`"settings": {
  "url": "https://example.org/c.zip",
  "RegistrationUrl": "https://example.org/reg",
  "Items": {}
},
"protectedSettings": { "modulesUrl": "https://example.org/c.zip", "registrationKey": { "userName": "x", "password": "y" } }`);
/** Protected-only keys in settings whose values carry secrets: the move protects them, and the message says so. */
const misplacedProtectedSecrets = ext(
  `"settings": { "Items": { "pw": "[parameters('pw')]" }, "RegistrationKey": "[parameters('pw')]", "DataBlobUri": "https://example.org/d" }`,
  { parameters: `{ "pw": { "type": "secureString" } }` },
);
/** The same keys with literal values: Items and a key named like a secret hold secrets whatever they are made of. */
const misplacedProtectedLiterals = ext(`"settings": { "Items": { "pw": "Passw0rd!" }, "RegistrationKey": "abc" }`);
/** No secret in them: an empty member, a PrivateSettingsRef to the key held elsewhere. */
const misplacedProtectedNoSecret = ext(`"settings": {
  "Items": { "pw": "" },
  "RegistrationKey": { "UserName": "PLACEHOLDER_DONOTUSE", "Password": "PrivateSettingsRef:registrationKeyPrivate" }
}`);
/** Public-only keys in protectedSettings whose values carry secrets: moved as they are, they would leak. */
const misplacedSecrets = ext(
  `"settings": {},
"protectedSettings": { "ModulesUrl": "[concat('https://example.org/c.zip', parameters('_artifactsLocationSasToken'))]", "wmfVersion": "[parameters('pw')]" }`,
  { parameters: `{ "_artifactsLocationSasToken": { "type": "secureString" }, "pw": { "type": "secureString" } }` },
);
// ... but one already in public settings, a level too deep, is not stored anew by the move
const nestedSecretConfiguration = ext(
  `"settings": { "configuration": { "configuration": { "url": "[concat('https://example.org/c.zip', parameters('pw'))]", "script": "c.ps1", "function": "Main" } } }`,
  { parameters: `{ "pw": { "type": "secureString" } }` },
);
const nestedConfiguration = ext(`"settings": {
  "configuration": {
    "configuration": { "url": "https://example.org/c.zip", "script": "c.ps1", "function": "Main" },
    "configurationArguments": { "nodeName": "localhost" }
  }
}`);
const reboot = ext(`"settings": {
  "wmfVersion": "latest",
  "configuration": { "url": "https://example.org/c.zip", "script": "c.ps1", "function": "Main" },
  "advancedOptions": { "rebootNodeIfNeeded": true }
}`);
const scaleSetTypo = vmss(`{ "wmfVerison": "latest" }`);

// Format, protected settings, type

const mixed = ext(`"settings": {
  "ModulesUrl": "https://example.org/c.zip",
  "configuration": { "url": "https://example.org/c.zip", "script": "c.ps1", "function": "Main" }
},
"protectedSettings": { "configurationArguments": {} }`);
// settings.configuration.url deleted: script, function and the token each need it, one report says so
const urlDeleted = ext(`"settings": { "configuration": { "script": "c.ps1", "function": "Main" } },
"protectedSettings": { "configurationUrlSasToken": "[parameters('sas')]" }`, { parameters: `{ "sas": { "type": "secureString" } }` });
const mixedMany = ext(`"settings": {
  "ModulesUrl": "https://example.org/c.zip",
  "ConfigurationFunction": "c.ps1\\\\Main",
  "Properties": { "a": 1 },
  "configurationArguments": { "b": 2 }
}`);
// Written wrong where another rule checks the value whole: no report of this rule's own.
const versionUnclosed = ext(`"settings": {}`).replace(`"typeHandlerVersion": "2.83"`, `"typeHandlerVersion": "[parameters('v')"`);
// A scale set's node name written wrong is this rule's report (scale-set-node-name checks it once mended).
const scaleSetNodeNameUnclosed = vmss(`{ "configurationArguments": { "nodeName": "[parameters('vmssName')" } }`);
const scaleSetNodeNameMalformed = vmss(`{ "configurationArguments": { "nodeName": "[YOUR_NODE]" } }`);
/** Extension properties in a variable read by a scale set's entry and by a VM's extension: "localhost" would rename the VM's node too. */
const sharedNodeName = deploymentTemplate(
  `    ${scaleSetResource(`            "extensions": [{ "name": "dsc", "properties": "[variables('p')]" }]`, "").trim()},
    { "type": "Microsoft.Compute/virtualMachines/extensions", "apiVersion": "2024-07-01", "name": "vm1/dsc", "properties": "[variables('p')]" }`,
  {
    parameters: `{ "vmssName": { "type": "string" } }`,
    variables: `{ "p": { "publisher": "Microsoft.Powershell", "type": "DSC", "typeHandlerVersion": "2.83", "settings": { "configurationArguments": { "nodeName": "[parameters('vmssName')" } } } }`,
  },
);
const vmNodeNameMalformed = ext(`"settings": { "configurationArguments": { "nodeName": "[concat('a', ]" } }`);
const wmfUnclosed = ext(`"settings": { "wmfVersion": "[concat('latest')" }`);
const wmfUnclosedBad = ext(`"settings": { "wmfVersion": "[concat('6.0')" }`);
const bothProtected = ext(`"settings": {},
"protectedSettings": {},
"protectedSettingsFromKeyVault": { "secretUrl": "https://kv.vault.azure.net/secrets/s", "sourceVault": { "id": "x" } }`);
const wrongTypeLiteral = ext(`"settings": {}`, { type: `"Microsoft.Powershell.DSC"` });
const wrongTypeVariable = ext(`"settings": {}`, {
  type: `"[variables('extType')]"`,
  variables: `{ "extType": "Microsoft.PowerShell.DSC" }`,
});

// Legacy -> current

const legacyFull = ext(`"settings": {
  "WMFVersion": "5.1",
  "ModulesUrl": "[uri(parameters('_artifactsLocation'), 'DSC/Config.zip')]",
  "SasToken": "[parameters('_artifactsLocationSasToken')]",
  "ConfigurationFunction": "Config.ps1\\\\Main",
  "ModuleSource": "PSGallery",
  "ModuleVersion": "1.2",
  "Properties": {
    "nodeName": "[variables('vmName')]",
    "features": [
      "Web-Server"
    ]
  },
  "Privacy": { "DataCollection": "Disable" }
},
"protectedSettings": {
  "Properties": { "adminPassword": "[parameters('adminPassword')]" },
  "DataBlobUri": "https://example.org/data.psd1"
}`, {
  parameters: `{ "_artifactsLocation": { "type": "string" }, "_artifactsLocationSasToken": { "type": "secureString" }, "adminPassword": { "type": "secureString" } }`,
  variables: `{ "vmName": "vm1" }`,
});
const legacyFullConverted = ext(`"settings": {
  "wmfVersion": "5.1",
  "configuration": {
    "url": "[uri(parameters('_artifactsLocation'), 'DSC/Config.zip')]",
    "script": "Config.ps1",
    "function": "Main",
    "module": {
      "name": "PSGallery",
      "version": "1.2"
    }
  },
  "configurationArguments": {
    "nodeName": "[variables('vmName')]",
    "features": [
      "Web-Server"
    ]
  },
  "configurationData": {
    "url": "https://example.org/data.psd1"
  },
  "privacy": { "DataCollection": "Disable" }
},
"protectedSettings": {
  "configurationArguments": { "adminPassword": "[parameters('adminPassword')]" },
  "configurationUrlSasToken": "[parameters('_artifactsLocationSasToken')]"
}`, {
  parameters: `{ "_artifactsLocation": { "type": "string" }, "_artifactsLocationSasToken": { "type": "secureString" }, "adminPassword": { "type": "secureString" } }`,
  variables: `{ "vmName": "vm1" }`,
});

const legacyArray = ext(`"settings": {
  "ModulesUrl": "https://example.org/c.zip",
  "SasToken": "[parameters('sas')]",
  "ConfigurationFunction": "[variables('configurationFunction')]",
  "Properties": [
    { "Name": "nodeName", "Value": "localhost", "TypeName": "System.String" },
    {
      "Name": "options",
      "Value": {
        "retries": 3
      }
    }
  ]
}`, {
  parameters: `{ "sas": { "type": "secureString", "defaultValue": "" } }`,
  variables: `{ "configurationFunction": "[concat('Setup.ps1', '\\\\', 'Web')]" }`,
});
const legacyArrayConverted = ext(`"settings": {
  "configuration": {
    "url": "https://example.org/c.zip",
    "script": "Setup.ps1",
    "function": "Web"
  },
  "configurationArguments": {
    "nodeName": "localhost",
    "options": {
      "retries": 3
    }
  }
},
"protectedSettings": {
  "configurationUrlSasToken": "[parameters('sas')]"
}`, {
  parameters: `{ "sas": { "type": "secureString", "defaultValue": "" } }`,
  variables: `{ "configurationFunction": "[concat('Setup.ps1', '\\\\', 'Web')]" }`,
});

const legacyOneLine = ext(`"settings": { "ModulesUrl": "https://example.org/c.zip", "ConfigurationFunction": "c.ps1\\\\Main", "SasToken": "?sv=x" }, "protectedSettings": null`);
const legacyOneLineConverted = ext(
  `"settings": { "configuration": { "url": "https://example.org/c.zip", "script": "c.ps1", "function": "Main" } }, "protectedSettings": { "configurationUrlSasToken": "?sv=x" }`,
);

const legacyCommentInValue = ext(`"settings": {
  "ModulesUrl": "https://example.org/c.zip",
  "ConfigurationFunction": "c.ps1\\\\Main",
  "Properties": { /* the node */ "nodeName": "localhost" }
}`);
const legacyCommentBetween = ext(`"settings": {
  // where the zip lives
  "ModulesUrl": "https://example.org/c.zip",
  "ConfigurationFunction": "c.ps1\\\\Main"
}`);
const legacyTypedArray = ext(`"settings": {
  "ModulesUrl": "https://example.org/c.zip",
  "ConfigurationFunction": "c.ps1\\\\Main",
  "Properties": [{ "Name": "Credential", "Value": { "UserName": "u", "Password": "p" }, "TypeName": "System.Management.Automation.PSCredential" }]
}`);
const legacyDataBlobSas = ext(`"settings": { "ModulesUrl": "https://example.org/c.zip", "ConfigurationFunction": "c.ps1\\\\Main" },
"protectedSettings": { "DataBlobUri": "https://example.org/d.psd1?sv=1&sig=abc" }`);
const legacyParameterFunction = ext(`"settings": { "ModulesUrl": "https://example.org/c.zip", "ConfigurationFunction": "[parameters('fn')]" }`, {
  parameters: `{ "fn": { "type": "string", "defaultValue": "c.ps1\\\\Main" } }`,
});
const legacyNoBackslash = ext(`"settings": { "ModuleSource": "PSGallery", "ConfigurationFunction": "Main" }`);

const legacyCrlf = legacyCommentInValue.replace(/\n/g, "\r\n");
const legacyCrlfConverted = ext(`"settings": {
  "configuration": {
    "url": "https://example.org/c.zip",
    "script": "c.ps1",
    "function": "Main"
  },
  "configurationArguments": { /* the node */ "nodeName": "localhost" }
}`).replace(/\n/g, "\r\n");
const legacyKeyVault = ext(`"settings": { "ModulesUrl": "https://example.org/c.zip", "ConfigurationFunction": "c.ps1\\\\Main", "SasToken": "?sv=1" },
"protectedSettingsFromKeyVault": { "secretUrl": "https://kv.vault.azure.net/secrets/s", "sourceVault": { "id": "x" } }`);
const legacyProtocol = ext(`"settings": { "ModulesUrl": "https://example.org/c.zip", "ConfigurationFunction": "c.ps1\\\\Main", "ProtocolVersion": "2.0" }`);
const mixedItems = ext(`"settings": { "configuration": { "url": "https://example.org/c.zip", "script": "c.ps1", "function": "Main" } },
"protectedSettings": { "Items": { "key": "secret" } }`);

/** Legacy `PrivateSettingsRef:` references: to Items written elsewhere, missing, or outside Properties. */
const LEGACY_FN = `"ModulesUrl": "https://example.org/c.zip", "ConfigurationFunction": "c.ps1\\\\Main"`;
const refsResolved = ext(`"settings": { ${LEGACY_FN}, "Properties": [
  { "Name": "A", "Value": { "UserName": "u", "Password": "privatesettingsref:KEY1" }, "TypeName": "System.Management.Automation.PSCredential" }
] },
"protectedSettings": { "Items": { "key1": "[parameters('pw')]" } }`, { parameters: `{ "pw": { "type": "secureString" } }` });
const refsUnreadable = [
  ext(`"settings": { ${LEGACY_FN}, "Properties": { "A": { "UserName": "u", "Password": "PrivateSettingsRef:k" } } },
"protectedSettings": "[parameters('ps')]"`, { parameters: `{ "ps": { "type": "secureObject" } }` }),
  ext(`"settings": { ${LEGACY_FN}, "Properties": { "A": { "UserName": "u", "Password": "PrivateSettingsRef:k" } } },
"protectedSettings": { "Items": "[parameters('items')]" }`, { parameters: `{ "items": { "type": "secureObject" } }` }),
  ext(`"settings": { ${LEGACY_FN}, "Properties": { "A": { "UserName": "u", "Password": "PrivateSettingsRef:k" } } },
"protectedSettingsFromKeyVault": { "secretUrl": "https://kv.vault.azure.net/secrets/s", "sourceVault": { "id": "x" } }`),
];
const refNoProtected = ext(`"settings": { ${LEGACY_FN}, "Properties": { "A": { "UserName": "u", "Password": "PrivateSettingsRef:k" } } }`);
const refNoItems = ext(`"settings": { ${LEGACY_FN}, "Properties": [{ "Name": "A", "Value": { "UserName": "u", "Password": "PrivateSettingsRef:registrationKeyPrivate" } }] },
"protectedSettings": { "DataBlobUri": "https://example.org/d.psd1" }`);
const refOtherItem = ext(`"settings": { ${LEGACY_FN}, "Properties": { "A": { "UserName": "u", "Password": "PrivateSettingsRef:k" } } },
"protectedSettings": { "Items": { "registrationKeyPrivate": "x" } }`);
const refCurrent = ext(`"settings": {
  "configurationArguments": { "RegistrationKey": { "UserName": "NOT_USED", "Password": "PrivateSettingsRef:registrationKeyPrivate" } }
}`);

/** Strings written like expressions that ARM does not evaluate: no closing `]`, a space after it. */
/** Closing this one would put the password into public settings: reported without the suggestion. */
const almostPublicSecret = ext(
  `"settings": { "configurationArguments": { "Password": "[parameters('pw')] ", "Key": "[variables('key')] " } }`,
  { parameters: `{ "pw": { "type": "secureString" } }`, variables: `{ "key": "[listKeys('sa', '2023-01-01').keys[0].value]" }` },
);
const almostExpressions = ext(`"settings": { "configuration": { "url": "[uri(parameters('base'), 'c.zip')] ", "script": "c.ps1", "function": "Main" } },
"protectedSettings": { "configurationArguments": { "Admin": { "UserName": "u", "Password": "[parameters('pw')" } } }`, {
  parameters: `{ "base": { "type": "string" }, "pw": { "type": "secureString" } }`,
});

/** Expressions ARM cannot parse in the settings (an unclosed quote, a placeholder), and valid ones beside them. */
const malformedExpressions = ext(`"settings": { "configuration": { "url": "[concat(parameters('base'), 'c.zip)]", "script": "c.ps1", "function": "Main" } },
"protectedSettings": { "configurationArguments": { "Password": "[replace-with-password]", "Text": "[[not an expression]", "Ok": "[parameters('base')]", "Sign": "[add(+1, 2)]", "Wide": "[concat('a',\u3000'b')]", "Letter": "[parameters('base').größe]",
  "Plus": "[parameters('base') + 'c.zip']", "Next": "[copyIndex()+1]", "Apostrophe": "[concat('Serveur de l'équipe', 'x')]", "Quotes": "[concat(\u2018a\u2019)]", "Invisible": "[concat('a'\u200b)]", "Open": "[concat('größe)]",
  "Bare": "[YOUR_PASSWORD]", "Dotted": "[concat('x', System.String)]", "Calls": "[if(true(), null(), json('{}').a)]" } }`, {
  parameters: `{ "base": { "type": "string" } }`,
});

/** An unclosed call of the template's own function, and of a list*() function. */
const almostTemplateCalls = ext(`"settings": { "configurationArguments": { "Site": "[ns.site('Prod')", "Keys": "[listKeys('sa', '2023-01-01')" } }`).replace(
  `"parameters": {`,
  `"functions": [{ "namespace": "ns", "members": { "site": { "parameters": [{ "name": "tier", "type": "string" }], "output": { "type": "string", "value": "[concat('web-', parameters('tier'))]" } } } }],
  "parameters": {`,
);
assert.ok(almostTemplateCalls.includes(`"functions"`));

/** The same beside the extension's properties: ARM takes a dependsOn entry written so as it is. */
const almostDependsOn = ext(`"settings": { "configuration": { "url": "https://h/c.zip", "script": "c.ps1", "function": "Main" } }`).replace(
  `"name": "vm1/dsc",`,
  `"name": "vm1/dsc",
      "dependsOn": ["[resourceId('Microsoft.Compute/virtualMachines', 'vm1')"],`,
);
/** ... also when it leaves its calls open, as a real template's `"[concat('...', variables('vm'), '/extensions/gateway'"` does. */
const UNCLOSED = "[concat('Microsoft.Compute/virtualMachines/', 'vm1'";
const almostUnclosed = almostDependsOn.replace(`"[resourceId('Microsoft.Compute/virtualMachines', 'vm1')"`, JSON.stringify(UNCLOSED));
/** A name and a dependsOn entry written without brackets, as a real template writes its extension's name. */
const BARE_NAME = "concat(parameters('vmName'), '/dsc')";
const BARE_DEPENDENCY = " resourceId('Microsoft.Compute/virtualMachines', 'vm')";
const bracketless = almostDependsOn
  .replace(`"name": "vm1/dsc"`, `"name": ${JSON.stringify(BARE_NAME)}`)
  .replace(`"[resourceId('Microsoft.Compute/virtualMachines', 'vm1')"`, JSON.stringify(BARE_DEPENDENCY))
  .replace(`"parameters": {}`, `"parameters": { "vmName": { "type": "string" } }`);
assert.ok(bracketless.includes(`"vmName": { "type": "string" }`) && bracketless.includes(BARE_DEPENDENCY));

const SETTINGS_SECRET_HINT = "; it carries a secret, which settings store unencrypted";
/** The misplacedKey reports, with the secret hint, of `Items` and `RegistrationKey` written in `code`'s settings. */
function secretsInProtectedOnlyKeys(code: string, hint = SETTINGS_SECRET_HINT) {
  return [
    errorAt(code, "misplacedKey", { ...on, key: "Items", path: "settings", expected: "protectedSettings", hint }, `"Items"`),
    errorAt(code, "misplacedKey", { ...on, key: "RegistrationKey", path: "settings", expected: "protectedSettings.configurationArguments", hint }, `"RegistrationKey"`),
  ];
}
const LEAK_HINT = "; closed, it would put a secret in public settings, so move it to protectedSettings first";
/**
 * The notAnExpression report on the string `text` of `code` (at `path` below the extension's
 * properties), with the closeExpression suggestion when `suggested`.
 */
function notAnExpression(code: string, path: string, text: string, suggested: boolean, user = "the handler receives") {
  const closed = text.trimEnd().endsWith("]") ? text.trimEnd() : `${text}]`;
  const problem = closed === `${text}]` ? "does not end with ']'" : "has whitespace after its closing ']'";
  const [written, fixed] = [JSON.stringify(text), JSON.stringify(closed)];
  return {
    ...errorAt(code, "notAnExpression", { ...on, path, problem, user, value: written, hint: suggested ? "" : LEAK_HINT }, written),
    suggestions: suggested ? [{ messageId: "closeExpression", data: { fixed }, output: code.replace(written, fixed) }] : [],
  };
}

/** One missingCompanion error. */
function companion(code: string, snippet: string, present: string, missing: string, occurrence = 1): ErrorCase {
  return { messageId: "missingCompanion", data: { ...on, present, missing }, ...at(code, snippet, occurrence) };
}

const STRICT = [{ requireCurrentFormat: true }];

const argumentsArrayParameter = ext(`"settings": { "configurationArguments": "[parameters('args')]" }`, { parameters: `{ "args": { "type": "array" } }` });
const relativeLegacyUrl = ext(`"settings": { "ModulesUrl": "dsc/x.zip", "ConfigurationFunction": "x.ps1\\\\Main" }`);
const relativeDataUrl = ext(`"settings": { "configuration": { "url": "https://h/x.zip", "script": "c.ps1", "function": "Main" }, "configurationData": { "url": "data.psd1" } }`);
/** The default configuration script's arguments, with RegistrationKey written as `key`. */
function registration(key: string, configuration = ""): string {
  return ext(
    `"settings": { ${configuration}"configurationArguments": { "RegistrationUrl": "https://h/accounts/a", "NodeConfigurationName": "c.localhost" } },
        "protectedSettings": { "configurationArguments": { "RegistrationKey": ${key} } }`,
    { parameters: `{ "key": { "type": "secureString" }, "keyObject": { "type": "secureObject" } }`, variables: `{ "aaId": "[resourceId('Microsoft.Automation/automationAccounts', 'aa')]" }` },
  );
}
/** A RegistrationKey given as text (`key`, shown as `value`): reported, with the suggestion to wrap it. */
function registrationKeyAsText(key: string, value: string) {
  const code = registration(key);
  return {
    code,
    errors: [
      {
        messageId: "registrationKeyNotCredential" as const,
        data: { ...on, path: "protectedSettings.configurationArguments.RegistrationKey", value, origin: "" },
        ...at(code, key),
        suggestions: [{ messageId: "wrapInCredential" as const, output: code.replace(`"RegistrationKey": ${key}`, `"RegistrationKey": { "userName": "NOT_USED", "Password": ${key} }`) }],
      },
    ],
  };
}

runRuleTests("valid-dsc-settings", rule, {
  valid: [
    versionUnclosed,
    nullDuplicate,
    passedNotDuplicate,
    example("vm-dsc.json"),
    example("vmss-dsc.json"),
    { code: example("vm-dsc.json"), options: STRICT },
    { code: example("vmss-dsc.json"), options: STRICT },
    currentFull,
    { code: currentFull, options: STRICT },
    legacyWithRefs,
    automationLegacy,
    automationCurrent,
    { code: automationCurrent, options: STRICT },
    refsResolved,
    ...refsUnreadable,
    // a PrivateSettingsRef the handler reads as a value of its own is not passed to the configuration
    ext(`"settings": { "advancedOptions": { "downloadMappings": { "x": "PrivateSettingsRef:k" } } }`),
    // text in brackets that is no expression, and an escaped one
    ext(`"settings": { "configurationArguments": { "Banner": "[Contoso] web tier", "Pattern": "[a-z]+ x", "Escaped": "[[parameters('x')" } }`),
    // text that parses once closed, but calls no function of ARM's or has a bare word in it
    ext(`"settings": { "configurationArguments": { "Tier": "[Contoso (Prod)", "Attribute": "[ValidateSet('a', 'b')", "Step": "[step(1", "Bare": "[if(true, 'a', 'b'" } }`),
    // ... or calls a namespaced function the template does not define, or a list*() without an API version
    ext(`"settings": { "configurationArguments": { "Site": "[Contoso.Web('Prod')", "Item": "[ListItem('a')" } }`),
    // a name with parentheses that is no expression of ARM's, and text in settings (only names and dependsOn are read so)
    ext(`"settings": { "configurationArguments": { "Call": "concat('a', 'b')" } }`).replace(`"name": "vm1/dsc"`, `"name": "vm1/Install(IIS)"`),
    ext("").replace(`"name": "vm1/dsc"`, `"name": "vm1/Setup(web, db)"`),
    // ... or calls one of ARM's functions with arguments it does not take
    ext("").replace(`"name": "vm1/dsc"`, `"name": "Take(2)"`),
    // function with a module needs no url
    ext(`"settings": { "configuration": { "function": "Main", "module": { "name": "M", "version": "1.0" } } }`),
    // keys match in any case
    ext(`"settings": { "WMFVersion": "5.0", "Configuration": { "URL": "https://h/x.zip", "Script": "c.ps1", "FUNCTION": "Main" }, "PRIVACY": { "datacollection": "ENABLE" } }`),
    // values resolved through parameters and variables
    ext(`"settings": { "wmfVersion": "[parameters('wmf')]", "privacy": { "dataCollection": "[variables('collect')]" } }`, {
      parameters: `{ "wmf": { "type": "string", "defaultValue": "latest", "allowedValues": ["5.1", "latest"] } }`,
      variables: `{ "collect": "" }`,
    }),
    ext(`"settings": { "privacy": { "dataCollection": null } }`),
    // unknown values are not reported
    ext(`"settings": { "wmfVersion": "[parameters('wmf')]", "configurationArguments": "[parameters('args')]" }`, {
      parameters: `{ "wmf": { "type": "string" }, "args": { "type": "object" } }`,
    }),
    ext(`"settings": { "configurationArguments": "[parameters('args')]" }`, {
      parameters: `{ "args": { "type": "object", "defaultValue": { "nodeName": "localhost" } } }`,
    }),
    ext(`"settings": { "configurationArguments": null }`),
    // URLs the handler may take, or that are not known before deployment (a default a deployment replaces)
    ext(`"settings": { "configuration": { "url": "[concat(parameters('base'), 'DSC/x.zip')]", "script": "c.ps1", "function": "Main" } }`, {
      parameters: `{ "base": { "type": "string", "defaultValue": "" } }`,
    }),
    ...[`"file://share/x.zip"`, `"C:\\\\dsc\\\\x.zip"`, `"\\\\\\\\server\\\\dsc\\\\x.zip"`, `"//server/dsc/x.zip"`, `"[parameters('zipUrl')]"`, `""`].map((url) =>
      ext(`"settings": { "configuration": { "url": ${url}, "script": "c.ps1", "function": "Main" } }`, { parameters: `{ "zipUrl": { "type": "string" } }` }),
    ),
    // a PSCredential, or a secure object that may hold one; and a configuration of the user's own, whose parameter may be text
    registration(`{ "userName": "NOT_USED", "Password": "[parameters('key')]" }`),
    registration(`"[parameters('keyObject')]"`),
    registration(`"[parameters('key')]"`, `"configuration": { "url": "https://h/x.zip", "script": "c.ps1", "function": "Main" }, `),
    ext(`"settings": "[parameters('s')]", "protectedSettings": "[parameters('p')]"`, { parameters: `{ "s": { "type": "object" }, "p": { "type": "secureObject" } }` }),
    // public SAS token keys belong to sas-token-in-protected-settings
    ext(`"settings": { "configuration": { "url": "https://h/x.zip", "script": "c.ps1", "function": "Main" }, "configurationUrlSasToken": "?sv=1" }`),
    // the configuration block is an expression: its keys are unknown
    ext(`"settings": { "configuration": "[variables('cfg')]" }, "protectedSettings": { "configurationUrlSasToken": "?sv=1" }`, {
      variables: `{ "cfg": { "url": "https://h/x.zip", "script": "c.ps1", "function": "Main" } }`,
    }),
    // a url that is null on some paths only
    ext(`"settings": { "configuration": { "url": "[if(parameters('on'), 'https://h/x.zip', json('null'))]" } }`, {
      parameters: `{ "on": { "type": "bool" } }`,
    }),
    // null settings count as absent
    ext(`"settings": { "configuration": { "url": null } }, "protectedSettings": null, "protectedSettingsFromKeyVault": { "secretUrl": "x" }`),
    // both protected values are nullable parameters (generic extension modules)
    ext(`"settings": "[parameters('settings')]", "protectedSettings": "[parameters('ps')]", "protectedSettingsFromKeyVault": "[parameters('kv')]"`, {
      parameters: `{ "settings": { "type": "object" }, "ps": { "type": "secureObject", "nullable": true }, "kv": { "type": "object", "nullable": true } }`,
    }),
    // configurationArguments keys are the user's
    ext(`"settings": { "configurationArguments": { "configuraton": 1, "wmfVersion": "x", "anything": true } }`),
    // not DSC
    ext(`"settings": { "wmfVersion": "9", "foo": 1 }`).replace(`"publisher": "Microsoft.Powershell"`, `"publisher": "Microsoft.Compute"`),
    // not templates
    `{ "settings": { "wmfVersion": "9" } }`,
    `{ "$schema": "${PARAMETERS_SCHEMA}", "parameters": { "settings": { "value": { "foo": 1 } } } }`,
  ],
  invalid: [
    // ----------------------------------------------------------------- handler input errors
    {
      code: urlAlone,
      errors: [companion(urlAlone, `"url"`, "settings.configuration.url", "settings.configuration.script and settings.configuration.function")],
    },
    {
      code: urlWithoutFunction,
      errors: [companion(urlWithoutFunction, `"url"`, "settings.configuration.url", "settings.configuration.function")],
    },
    {
      code: scriptAlone,
      errors: [companion(scriptAlone, `"script"`, "settings.configuration.script", "settings.configuration.url")],
    },
    {
      code: functionAlone,
      errors: [
        companion(functionAlone, `"function"`, "settings.configuration.function", "settings.configuration.url or settings.configuration.module"),
      ],
    },
    {
      code: tokenWithoutUrl,
      errors: [
        companion(tokenWithoutUrl, `"configurationUrlSasToken"`, "protectedSettings.configurationUrlSasToken", "settings.configuration.url"),
      ],
    },
    {
      code: dataTokenWithoutUrl,
      errors: [
        companion(dataTokenWithoutUrl, `"configurationDataUrlSasToken"`, "protectedSettings.configurationDataUrlSasToken", "settings.configurationData.url"),
      ],
    },
    {
      code: legacyUrlAlone,
      errors: [companion(legacyUrlAlone, `"ModulesUrl"`, "settings.ModulesUrl", "settings.ConfigurationFunction")],
    },
    {
      code: legacyFunctionAlone,
      errors: [
        companion(legacyFunctionAlone, `"ConfigurationFunction"`, "settings.ConfigurationFunction", "settings.ModulesUrl or settings.ModuleSource"),
      ],
    },
    {
      code: urlNullVariable,
      errors: [companion(urlNullVariable, `"script"`, "settings.configuration.script", "settings.configuration.url")],
    },
    {
      code: duplicates,
      errors: [{ messageId: "duplicateArgument", data: { ...on, argument: "nodeName", origin: "" }, ...at(duplicates, `"nodeName"`) }],
    },
    {
      code: legacyDuplicates,
      errors: [{ messageId: "duplicateArgument", data: { ...on, argument: "Admin", origin: "" }, ...at(legacyDuplicates, `"Admin"`) }],
    },
    {
      code: duplicatesFromVariable,
      errors: [
        {
          messageId: "duplicateArgument",
          data: { ...on, argument: "Domain", origin: " (the public one read through variable 'pubArgs', written on line 5)" },
          ...at(duplicatesFromVariable, `"[variables('pubArgs')]"`),
        },
      ],
    },
    {
      code: duplicatesIntoVariable,
      errors: [
        {
          messageId: "duplicateArgument",
          data: { ...on, argument: "Domain", origin: " (the protected one read through variable 'ps', written on line 5)" },
          ...at(duplicatesIntoVariable, `"Domain"`),
        },
      ],
    },
    {
      // the shadowed first entry of the legacy array is not passed; the report is once per name
      code: duplicatesBothPassed,
      errors: [
        {
          messageId: "duplicateArgument",
          data: {
            ...on,
            argument: "admin",
            origin: " (the public one read through parameter 'legacy', written on line 4; the protected one read through variable 'protArgs', written on line 5)",
          },
          ...at(duplicatesBothPassed, `"[parameters('legacy')]"`),
        },
      ],
    },
    // blocks of the extension and of the handler that are not objects
    ...(
      [
        [`"settings": ["x"]`, "settings", "an array", `["x"]`, "settings and protectedSettings must be JSON objects (write the object, or pass an object or secureObject parameter)"],
        [`"settings": {}, "protectedSettings": "[string(parameters('ps'))]"`, "protectedSettings", `"{}" (from parameter 'ps')`, `"[string(parameters('ps'))]"`, "settings and protectedSettings must be JSON objects (write the object, or pass an object or secureObject parameter)"],
        [`"settings": { "configuration": "https://h/x.zip" }`, "settings.configuration", `"https://h/x.zip"`, `"https://h/x.zip"`, "the handler reads url, script and function from it"],
        [`"settings": { "configurationData": [] }`, "settings.configurationData", "an array", "[]", "the handler reads url from it"],
        [`"settings": { "Privacy": "Disable" }`, "settings.privacy", `"Disable"`, `"Disable"`, "the handler reads dataCollection from it"],
        [`"settings": { "advancedOptions": true }`, "settings.advancedOptions", "the boolean true", "true", "the handler reads forcePullAndApply and downloadMappings from it"],
      ] as const
    ).map(([body, path, value, snippet, need]) => {
      const code = ext(body, { parameters: `{ "ps": { "type": "object", "defaultValue": {} } }` });
      return oneError(code, "notAnObject", { ...on, path, value, origin: "", need }, snippet);
    }),
    oneError(argumentsArrayParameter, "argumentsNotObject", { ...on, path: "settings.configurationArguments", value: "parameter 'args' of type array", origin: "" }, `"[parameters('args')]"`),
    // download URLs that are not absolute
    ...(
      [
        [`"DSC/c.zip"`, `"DSC/c.zip"`, ""],
        [`"[variables('zip')]"`, `"/dsc/c.zip"`, " (from variable 'zip')"],
      ] as const
    ).map(([url, value, origin]) => {
      const code = ext(`"settings": { "configuration": { "url": ${url}, "script": "c.ps1", "function": "Main" } }`, { variables: `{ "zip": "/dsc/c.zip" }` });
      return oneError(code, "invalidUrl", { ...on, path: "settings.configuration.url", value, origin }, url);
    }),
    oneError(relativeLegacyUrl, "invalidUrl", { ...on, path: "settings.ModulesUrl", value: `"dsc/x.zip"`, origin: "" }, `"dsc/x.zip"`),
    oneError(relativeDataUrl, "invalidUrl", { ...on, path: "settings.configurationData.url", value: `"data.psd1"`, origin: "" }, `"data.psd1"`),
    // a registration key as text, for the default configuration script
    registrationKeyAsText(`"[parameters('key')]"`, "parameter 'key' of type secureString"),
    // the key itself is not shown
    registrationKeyAsText(`"abc=="`, "text"),
    registrationKeyAsText(`"[listKeys(resourceId('Microsoft.Automation/automationAccounts', 'aa'), '2023-11-01').Keys[0].value]"`, "a key read from listKeys()"),
    // the variable that names the account is not where the key comes from
    registrationKeyAsText(`"[listKeys(variables('aaId'), '2023-11-01').Keys[0].value]"`, "a key read from listKeys()"),
    // the key's object (no `.value`): wrapping it would still not be a PSCredential of text
    (() => {
      const key = `"[listKeys(variables('aaId'), '2023-11-01').Keys[0]]"`;
      const code = registration(key);
      const data = { ...on, path: "protectedSettings.configurationArguments.RegistrationKey", value: "a key read from listKeys()", origin: "" };
      return { code, errors: [{ ...errorAt(code, "registrationKeyNotCredential", data, key), suggestions: [] }] };
    })(),
    oneError(argumentsString, "argumentsNotObject", { ...on, path: "settings.configurationArguments", value: `"nodeName=localhost"`, origin: "" }, `"nodeName=localhost"`),
    oneError(argumentsArray, "argumentsNotObject", { ...on, path: "settings.configurationArguments", value: "an array", origin: "" }, `[{ "Name": "nodeName", "Value": "localhost" }]`),
    {
      code: argumentsNumber,
      errors: [
        {
          messageId: "argumentsNotObject",
          data: { ...on, path: "protectedSettings.configurationArguments", value: "the number 5", origin: "" },
          ...at(argumentsNumber, "5 }"),
          endColumn: at(argumentsNumber, "5 }").column + 1,
        },
      ],
    },
    oneError(argumentsFromParameter, "argumentsNotObject", { ...on, path: "settings.configurationArguments", value: `"nodeName=localhost"`, origin: " (from parameter 'args')" }, `"[parameters('args')]"`),
    // ----------------------------------------------------------------- values
    oneError(wmfBad, "invalidValue", { ...on, path: "settings.wmfVersion", value: `"5.2"`, origin: "", allowed: `"4.0", "5.0", "5.1" or "latest"` }, `"5.2"`),
    {
      code: wmfNumber,
      errors: [
        {
          messageId: "invalidValue",
          data: { ...on, path: "settings.wmfVersion", value: "the number 5.1", origin: "", allowed: `"4.0", "5.0", "5.1" or "latest"` },
          ...at(wmfNumber, "5.1 }"),
          endColumn: at(wmfNumber, "5.1 }").column + 3,
        },
      ],
    },
    oneError(wmfChoice, "invalidValue", { ...on, path: "settings.wmfVersion", value: `"3.0" in some deployments`, origin: " (from parameter 'wmf')", allowed: `"4.0", "5.0", "5.1" or "latest"` }, `"[parameters('wmf')]"`),
    oneError(wmfVariable, "invalidValue", { ...on, path: "settings.wmfVersion", value: `"5.1PP"`, origin: " (from variable 'wmf')", allowed: `"4.0", "5.0", "5.1" or "latest"` }, `"[variables('wmf')]"`),
    oneError(privacyBad, "invalidValue", { ...on, path: "settings.privacy.dataCollection", value: `"off"`, origin: "", allowed: `"Enable", "Disable" or "" (any case)` }, `"off"`),
    // ----------------------------------------------------------------- unknown keys
    {
      code: unknownPlain,
      errors: [{ messageId: "unknownKey", data: { ...on, key: "retries", path: "settings" }, ...at(unknownPlain, `"retries"`) }],
    },
    {
      code: didYouMeanSettings,
      errors: [
        {
          messageId: "unknownKeyDidYouMean",
          data: { ...on, key: "configurationArgument", path: "settings", suggestion: "configurationArguments" },
          ...at(didYouMeanSettings, `"configurationArgument"`),
          suggestions: [
            {
              messageId: "renameKey",
              data: { key: "configurationArgument", suggestion: "configurationArguments" },
              output: didYouMeanSettings.replace(`"configurationArgument"`, `"configurationArguments"`),
            },
          ],
        },
      ],
    },
    {
      code: didYouMeanDuplicate,
      errors: [
        {
          ...errorAt(didYouMeanDuplicate, "unknownKeyDidYouMean", { ...on, key: "configurationArgument", path: "settings", suggestion: "configurationArguments" }, `"configurationArgument"`),
          suggestions: [],
        },
      ],
    },
    {
      code: protectedInsideDuplicate,
      errors: [{ ...errorAt(protectedInsideDuplicate, "protectedInSettings", { ...on, key: "protectedSettings", path: "settings" }, `"protectedSettings"`), suggestions: [] }],
    },
    {
      code: didYouMeanProtected,
      errors: [
        {
          messageId: "unknownKeyDidYouMean",
          data: { ...on, key: "configurationArguements", path: "protectedSettings", suggestion: "configurationArguments" },
          ...at(didYouMeanProtected, `"configurationArguements"`),
          suggestions: [
            {
              messageId: "renameKey",
              data: { key: "configurationArguements", suggestion: "configurationArguments" },
              output: didYouMeanProtected.replace(`"configurationArguements"`, `"configurationArguments"`),
            },
          ],
        },
      ],
    },
    {
      code: didYouMeanNested,
      errors: [
        companion(didYouMeanNested, `"url"`, "settings.configuration.url", "settings.configuration.script"),
        ...(
          [
            ["scirpt", "settings.configuration", "script"],
            ["versoin", "settings.configuration.module", "version"],
            ["uri", "settings.configurationData", "url"],
            ["dataColection", "settings.privacy", "dataCollection"],
            ["forcePullAndAply", "settings.advancedOptions", "forcePullAndApply"],
          ] as const
        ).map(([key, path, suggestion]) => ({
          messageId: "unknownKeyDidYouMean",
          data: { ...on, key, path, suggestion },
          ...at(didYouMeanNested, `"${key}"`),
          suggestions: [
            {
              messageId: "renameKey",
              data: { key, suggestion },
              output: didYouMeanNested.replace(`"${key}"`, `"${suggestion}"`),
            },
          ],
        })),
      ],
    },
    {
      code: targetExists,
      errors: [{ messageId: "unknownKey", data: { ...on, key: "configurationArgument", path: "settings" }, ...at(targetExists, `"configurationArgument"`) }],
    },
    {
      code: shapeMismatch,
      errors: [{ messageId: "unknownKey", data: { ...on, key: "configurations", path: "settings" }, ...at(shapeMismatch, `"configurations"`) }],
    },
    {
      code: legacyTypo,
      errors: [
        {
          messageId: "unknownKeyDidYouMean",
          data: { ...on, key: "ModuleUrl", path: "settings", suggestion: "ModulesUrl" },
          ...at(legacyTypo, `"ModuleUrl"`),
          suggestions: [
            {
              messageId: "renameKey",
              data: { key: "ModuleUrl", suggestion: "ModulesUrl" },
              output: legacyTypo.replace(`"ModuleUrl"`, `"ModulesUrl"`),
            },
          ],
        },
        companion(legacyTypo, `"ConfigurationFunction"`, "settings.ConfigurationFunction", "settings.ModulesUrl or settings.ModuleSource"),
      ],
    },
    {
      code: protectedInside,
      errors: [
        {
          ...errorAt(protectedInside, "protectedInSettings", { ...on, key: "protectedSettings", path: "settings" }, `"protectedSettings"`),
          suggestions: [
            {
              messageId: "moveOutOfSettings",
              data: { key: "protectedSettings" },
              output: protectedInside.replace(
                `"function": "Main" },\n          "protectedSettings": { "configurationArguments": { "password": "[parameters('pw')]" } }\n        }`,
                `"function": "Main" }\n        },\n        "protectedSettings": { "configurationArguments": { "password": "[parameters('pw')]" } }`,
              ),
            },
          ],
        },
      ],
    },
    // the handler never applies a token handed to the configuration as an argument
    oneError(tokenAsArgument, "misplacedKey", { ...on, key: "ConfigurationUrlSasToken", path: "protectedSettings.configurationArguments", expected: "protectedSettings", hint: "" }, `"ConfigurationUrlSasToken"`),
    {
      // beside a Key Vault block, the moved block would make two protected blocks (bothProtected)
      code: protectedBesideVault,
      errors: [
        { ...errorAt(protectedBesideVault, "protectedInSettings", { ...on, key: "protectedSettings", path: "settings" }, `"protectedSettings"`), suggestions: [] },
      ],
    },
    {
      // the extension already has the block: nothing to move it into
      code: protectedBoth,
      errors: [
        { ...errorAt(protectedBoth, "protectedInSettings", { ...on, key: "ProtectedSettingsFromKeyVault", path: "settings" }, `"ProtectedSettingsFromKeyVault"`), suggestions: [] },
      ],
    },
    {
      code: misplaced,
      errors: [
        { messageId: "misplacedKey", data: { ...on, key: "url", path: "settings", expected: "settings.configuration", hint: "" }, ...at(misplaced, `"url"`) },
        errorAt(misplaced, "misplacedKey", { ...on, key: "RegistrationUrl", path: "settings", expected: "settings.configurationArguments", hint: "" }, `"RegistrationUrl"`),
        { messageId: "misplacedKey", data: { ...on, key: "Items", path: "settings", expected: "protectedSettings", hint: "" }, ...at(misplaced, `"Items"`) },
        { messageId: "misplacedKey", data: { ...on, key: "modulesUrl", path: "protectedSettings", expected: "settings", hint: "" }, ...at(misplaced, `"modulesUrl"`) },
        errorAt(misplaced, "misplacedKey", { ...on, key: "registrationKey", path: "protectedSettings", expected: "protectedSettings.configurationArguments", hint: "" }, `"registrationKey"`),
      ],
    },
    {
      code: misplacedProtectedSecrets,
      errors: [
        ...secretsInProtectedOnlyKeys(misplacedProtectedSecrets),
        // no secret in it
        errorAt(misplacedProtectedSecrets, "misplacedKey", { ...on, key: "DataBlobUri", path: "settings", expected: "protectedSettings", hint: "" }, `"DataBlobUri"`),
      ],
    },
    { code: misplacedProtectedLiterals, errors: secretsInProtectedOnlyKeys(misplacedProtectedLiterals) },
    { code: misplacedProtectedNoSecret, errors: secretsInProtectedOnlyKeys(misplacedProtectedNoSecret, "") },
    {
      code: misplacedSecrets,
      errors: [
        errorAt(
          misplacedSecrets,
          "misplacedKey",
          {
            ...on,
            key: "ModulesUrl",
            path: "protectedSettings",
            expected: "settings",
            hint: "; its SAS token would be stored unencrypted there: use settings.configuration.url without the token and protectedSettings.configurationUrlSasToken (current format)",
          },
          `"ModulesUrl"`,
        ),
        errorAt(misplacedSecrets, "misplacedKey", { ...on, key: "wmfVersion", path: "protectedSettings", expected: "settings", hint: "; it carries a secret, which settings would store unencrypted" }, `"wmfVersion"`),
      ],
    },
    oneError(nestedSecretConfiguration, "misplacedKey", { ...on, key: "configuration", path: "settings.configuration", expected: "settings", hint: "" }, `"configuration"`, 2),
    {
      code: nestedConfiguration,
      errors: [
        errorAt(nestedConfiguration, "misplacedKey", { ...on, key: "configuration", path: "settings.configuration", expected: "settings", hint: "" }, `"configuration"`, 2),
        errorAt(nestedConfiguration, "misplacedKey", { ...on, key: "configurationArguments", path: "settings.configuration", expected: "settings", hint: "" }, `"configurationArguments"`),
      ],
    },
    {
      code: reboot,
      errors: [{ messageId: "rebootNodeIfNeeded", data: { ...on, key: "rebootNodeIfNeeded", path: "settings.advancedOptions" }, ...at(reboot, `"rebootNodeIfNeeded"`) }],
    },
    {
      code: scaleSetTypo,
      errors: [
        {
          messageId: "unknownKeyDidYouMean",
          data: { ...onVmss, key: "wmfVerison", path: "settings", suggestion: "wmfVersion" },
          ...at(scaleSetTypo, `"wmfVerison"`),
          suggestions: [
            {
              messageId: "renameKey",
              data: { key: "wmfVerison", suggestion: "wmfVersion" },
              output: scaleSetTypo.replace(`"wmfVerison"`, `"wmfVersion"`),
            },
          ],
        },
      ],
    },
    // ----------------------------------------------------------------- format, protected settings, type
    oneError(mixed, "mixedFormat", { ...on, legacy: "key 'settings.ModulesUrl'", current: "'settings.configuration', 'protectedSettings.configurationArguments'" }, `"ModulesUrl"`),
    {
      code: urlDeleted,
      errors: [
        companion(urlDeleted, `"script"`, "settings.configuration.script, settings.configuration.function and protectedSettings.configurationUrlSasToken", "settings.configuration.url"),
      ],
    },
    // one report for the extension, on its first legacy key
    oneError(mixedMany, "mixedFormat", { ...on, legacy: "keys 'settings.ModulesUrl', 'settings.ConfigurationFunction', 'settings.Properties'", current: "'settings.configurationArguments'" }, `"ModulesUrl"`),
    {
      code: scaleSetNodeNameUnclosed,
      errors: [
        {
          ...errorAt(
            scaleSetNodeNameUnclosed,
            "notAnExpression",
            { ...onVmss, path: "settings.configurationArguments.nodeName", problem: "does not end with ']'", user: "the handler receives", value: `"[parameters('vmssName')"`, hint: "" },
            `"[parameters('vmssName')"`,
          ),
          // closed, it would be another name: a scale set's node name is "localhost"
          suggestions: [{ messageId: "setLocalhost", output: scaleSetNodeNameUnclosed.replace(`"[parameters('vmssName')"`, `"localhost"`) }],
        },
      ],
    },
    {
      code: scaleSetNodeNameMalformed,
      errors: [
        {
          ...errorAt(scaleSetNodeNameMalformed, "malformedExpression", { ...onVmss, path: "settings.configurationArguments.nodeName", reason: "'YOUR_NODE' is neither a function call nor a quoted string" }, `"[YOUR_NODE]"`),
          suggestions: [{ messageId: "setLocalhost", output: scaleSetNodeNameMalformed.replace(`"[YOUR_NODE]"`, `"localhost"`) }],
        },
      ],
    },
    {
      // read by the VM's extension too: closing it is the suggestion for both reports, not "localhost"
      code: sharedNodeName,
      errors: [onVmss, on].map((owner) => ({
        ...errorAt(
          sharedNodeName,
          "notAnExpression",
          { ...owner, path: "settings.configurationArguments.nodeName", problem: "does not end with ']'", user: "the handler receives", value: `"[parameters('vmssName')"`, hint: "" },
          `"[parameters('vmssName')"`,
        ),
        suggestions: [{ messageId: "closeExpression", data: { fixed: `"[parameters('vmssName')]"` }, output: sharedNodeName.replace(`"[parameters('vmssName')"`, `"[parameters('vmssName')]"`) }],
      })),
    },
    // a VM's node name too
    oneError(vmNodeNameMalformed, "malformedExpression", { ...on, path: "settings.configurationArguments.nodeName", reason: "Expected an expression but found end of expression" }, `"[concat('a', ]"`),
    // a wmfVersion written like an expression: closed, it is allowed
    { code: wmfUnclosed, errors: [notAnExpression(wmfUnclosed, "settings.wmfVersion", "[concat('latest')", true)] },
    // closed, it is still not allowed: both
    {
      code: wmfUnclosedBad,
      errors: [
        errorAt(wmfUnclosedBad, "invalidValue", { ...on, path: "settings.wmfVersion", value: `"[concat('6.0')"`, origin: "", allowed: `"4.0", "5.0", "5.1" or "latest"` }, `"[concat('6.0')"`),
        notAnExpression(wmfUnclosedBad, "settings.wmfVersion", "[concat('6.0')", true),
      ],
    },
    {
      code: bothProtected,
      errors: [{ messageId: "bothProtected", data: on, ...at(bothProtected, `"protectedSettingsFromKeyVault"`) }],
    },
    {
      code: wrongTypeLiteral,
      output: wrongTypeLiteral.replace(`"type": "Microsoft.Powershell.DSC"`, `"type": "DSC"`),
      errors: [
        errorAt(wrongTypeLiteral, "wrongType", { ...on, value: `"Microsoft.Powershell.DSC"`, origin: "" }, `"Microsoft.Powershell.DSC"`),
      ],
    },
    oneError(wrongTypeVariable, "wrongType", { ...on, value: `"Microsoft.PowerShell.DSC"`, origin: " (from variable 'extType')" }, `"[variables('extType')]"`),
    // ----------------------------------------------------------------- legacy format
    {
      code: legacyFull,
      options: STRICT,
      errors: [
        {
          messageId: "legacyFormat",
          data: {
            ...on,
            keys: "'settings.ModulesUrl', 'settings.SasToken', 'settings.ConfigurationFunction', 'settings.ModuleSource', 'settings.ModuleVersion', 'settings.Properties', 'protectedSettings.Properties', 'protectedSettings.DataBlobUri'",
          },
          ...at(legacyFull, `"ModulesUrl"`),
          suggestions: [{ messageId: "convertToCurrent", output: legacyFullConverted }],
        },
      ],
    },
    {
      code: legacyArray,
      options: STRICT,
      errors: [
        {
          messageId: "legacyFormat",
          data: { ...on, keys: "'settings.ModulesUrl', 'settings.SasToken', 'settings.ConfigurationFunction', 'settings.Properties'" },
          ...at(legacyArray, `"ModulesUrl"`),
          suggestions: [{ messageId: "convertToCurrent", output: legacyArrayConverted }],
        },
      ],
    },
    {
      code: legacyOneLine,
      options: STRICT,
      errors: [
        {
          messageId: "legacyFormat",
          data: { ...on, keys: "'settings.ModulesUrl', 'settings.ConfigurationFunction', 'settings.SasToken'" },
          ...at(legacyOneLine, `"ModulesUrl"`),
          suggestions: [{ messageId: "convertToCurrent", output: legacyOneLineConverted }],
        },
      ],
    },
    {
      code: legacyCommentInValue,
      options: STRICT,
      errors: [
        {
          messageId: "legacyFormat",
          data: { ...on, keys: "'settings.ModulesUrl', 'settings.ConfigurationFunction', 'settings.Properties'" },
          ...at(legacyCommentInValue, `"ModulesUrl"`),
          suggestions: [
            {
              messageId: "convertToCurrent",
              output: ext(`"settings": {
  "configuration": {
    "url": "https://example.org/c.zip",
    "script": "c.ps1",
    "function": "Main"
  },
  "configurationArguments": { /* the node */ "nodeName": "localhost" }
}`),
            },
          ],
        },
      ],
    },
    {
      code: legacyCrlf,
      options: STRICT,
      errors: [
        {
          messageId: "legacyFormat",
          data: { ...on, keys: "'settings.ModulesUrl', 'settings.ConfigurationFunction', 'settings.Properties'" },
          ...at(legacyCrlf, `"ModulesUrl"`),
          suggestions: [{ messageId: "convertToCurrent", output: legacyCrlfConverted }],
        },
      ],
    },
    {
      code: almostTemplateCalls,
      errors: [
        notAnExpression(almostTemplateCalls, "settings.configurationArguments.Site", "[ns.site('Prod')", true),
        notAnExpression(almostTemplateCalls, "settings.configurationArguments.Keys", "[listKeys('sa', '2023-01-01')", false),
      ],
    },
    {
      code: malformedExpressions,
      errors: [
        errorAt(malformedExpressions, "malformedExpression", { ...on, path: "settings.configuration.url", reason: "Unterminated string literal" }, `"[concat(parameters('base'), 'c.zip)]"`),
        errorAt(malformedExpressions, "malformedExpression", { ...on, path: "protectedSettings.configurationArguments.Password", reason: "Expected a digit after '-'" }, `"[replace-with-password]"`),
        // ARM reads letters and spaces of other scripts, and a sign before a number, but none of these
        errorAt(malformedExpressions, "malformedExpression", { ...on, path: "protectedSettings.configurationArguments.Plus", reason: "Expected a digit after '+'" }, `"[parameters('base') + 'c.zip']"`),
        errorAt(malformedExpressions, "malformedExpression", { ...on, path: "protectedSettings.configurationArguments.Next", reason: "Unexpected number +1 after the end of the expression" }, `"[copyIndex()+1]"`),
        errorAt(malformedExpressions, "malformedExpression", { ...on, path: "protectedSettings.configurationArguments.Apostrophe", reason: "Unterminated string literal" }, `"[concat('Serveur de l'équipe', 'x')]"`),
        errorAt(malformedExpressions, "malformedExpression", { ...on, path: "protectedSettings.configurationArguments.Quotes", reason: "Unexpected character '\u2018'" }, `"[concat(\u2018a\u2019)]"`),
        errorAt(malformedExpressions, "malformedExpression", { ...on, path: "protectedSettings.configurationArguments.Invisible", reason: "Unexpected character '\\u200b'" }, `"[concat('a'\u200b)]"`),
        errorAt(malformedExpressions, "malformedExpression", { ...on, path: "protectedSettings.configurationArguments.Open", reason: "Unterminated string literal" }, `"[concat('größe)]"`),
        // a bare word, which ARM's expressions do not have
        errorAt(malformedExpressions, "malformedExpression", { ...on, path: "protectedSettings.configurationArguments.Bare", reason: "'YOUR_PASSWORD' is neither a function call nor a quoted string" }, `"[YOUR_PASSWORD]"`),
        errorAt(malformedExpressions, "malformedExpression", { ...on, path: "protectedSettings.configurationArguments.Dotted", reason: "'System' is neither a function call nor a quoted string" }, `"[concat('x', System.String)]"`),
      ],
    },
    {
      code: almostExpressions,
      errors: [
        notAnExpression(almostExpressions, "settings.configuration.url", "[uri(parameters('base'), 'c.zip')] ", true),
        notAnExpression(almostExpressions, "protectedSettings.configurationArguments.Admin.Password", "[parameters('pw')", true),
      ],
    },
    {
      code: almostDependsOn,
      errors: [notAnExpression(almostDependsOn, "dependsOn[0]", "[resourceId('Microsoft.Compute/virtualMachines', 'vm1')", true, "takes")],
    },
    {
      code: bracketless,
      errors: [BARE_NAME, BARE_DEPENDENCY].map((text, i) => {
        const fixed = `[${text.trim()}]`;
        return {
          ...errorAt(bracketless, "notAnExpression", { name: BARE_NAME, parent: "virtual machine 'concat(parameters('vmName'), ''", path: i ? "dependsOn[0]" : "name", problem: "lacks the '[' and ']' around it", user: "takes", value: JSON.stringify(text), hint: "" }, JSON.stringify(text)),
          suggestions: [{ messageId: "closeExpression" as const, data: { fixed: JSON.stringify(fixed) }, output: bracketless.replace(JSON.stringify(text), JSON.stringify(fixed)) }],
        };
      }),
    },
    {
      code: almostUnclosed,
      errors: [
        {
          ...errorAt(almostUnclosed, "notAnExpression", { ...on, path: "dependsOn[0]", problem: "does not close its parentheses and ']'", user: "takes", value: JSON.stringify(UNCLOSED), hint: "" }, JSON.stringify(UNCLOSED)),
          suggestions: [{ messageId: "closeExpression", data: { fixed: JSON.stringify(`${UNCLOSED})]`) }, output: almostUnclosed.replace(JSON.stringify(UNCLOSED), JSON.stringify(`${UNCLOSED})]`)) }],
        },
      ],
    },
    {
      code: almostPublicSecret,
      errors: [
        notAnExpression(almostPublicSecret, "settings.configurationArguments.Password", "[parameters('pw')] ", false),
        // through a variable, from a list*() call
        notAnExpression(almostPublicSecret, "settings.configurationArguments.Key", "[variables('key')] ", false),
      ],
    },
    oneError(refNoProtected, "privateRefMissingItem", { ...on, path: "settings.Properties.A.Password", key: "k", missing: "is not written: the extension has no protectedSettings" }, `"PrivateSettingsRef:k"`),
    oneError(refNoItems, "privateRefMissingItem", { ...on, path: "settings.Properties[0].Value.Password", key: "registrationKeyPrivate", missing: "is not written: protectedSettings has no Items" }, `"PrivateSettingsRef:registrationKeyPrivate"`),
    oneError(refOtherItem, "privateRefMissingItem", { ...on, path: "settings.Properties.A.Password", key: "k", missing: "is not among the Items written" }, `"PrivateSettingsRef:k"`),
    oneError(refCurrent, "privateRefOutsideProperties", { ...on, path: "settings.configurationArguments.RegistrationKey.Password", value: "PrivateSettingsRef:registrationKeyPrivate" }, `"PrivateSettingsRef:registrationKeyPrivate"`),
    oneError(mixedItems, "mixedFormat", { ...on, legacy: "key 'protectedSettings.Items'", current: "'settings.configuration'" }, `"Items"`),
    ...[legacyWithRefs, legacyCommentBetween, legacyTypedArray, legacyDataBlobSas, legacyParameterFunction, legacyKeyVault, legacyProtocol].map(
      (code): InvalidCase => ({
        code,
        options: STRICT,
        errors: [
          {
            messageId: "legacyFormat",
            data: {
              ...on,
              keys:
                code === legacyWithRefs
                  ? "'settings.ModulesUrl', 'settings.SasToken', 'settings.ConfigurationFunction', 'settings.Properties', 'protectedSettings.Items', 'protectedSettings.DataBlobUri'"
                  : code === legacyTypedArray
                    ? "'settings.ModulesUrl', 'settings.ConfigurationFunction', 'settings.Properties'"
                    : code === legacyDataBlobSas
                      ? "'settings.ModulesUrl', 'settings.ConfigurationFunction', 'protectedSettings.DataBlobUri'"
                      : code === legacyKeyVault
                        ? "'settings.ModulesUrl', 'settings.ConfigurationFunction', 'settings.SasToken'"
                        : code === legacyProtocol
                          ? "'settings.ModulesUrl', 'settings.ConfigurationFunction', 'settings.ProtocolVersion'"
                          : "'settings.ModulesUrl', 'settings.ConfigurationFunction'",
            },
            ...at(code, `"ModulesUrl"`),
            suggestions: [],
          },
        ],
      }),
    ),
    {
      code: legacyNoBackslash,
      options: STRICT,
      errors: [
        {
          messageId: "legacyFormat",
          data: { ...on, keys: "'settings.ModuleSource', 'settings.ConfigurationFunction'" },
          ...at(legacyNoBackslash, `"ModuleSource"`),
          suggestions: [],
        },
      ],
    },
  ],
});

test("editDistance: bounded optimal string alignment", () => {
  assert.equal(editDistance("script", "script", 2), 0);
  assert.equal(editDistance("scirpt", "script", 2), 1);
  assert.equal(editDistance("configurationarguements", "configurationarguments", 3), 1);
  assert.equal(editDistance("uri", "url", 1), 1);
  assert.equal(editDistance("", "abc", 3), 3);
  assert.equal(editDistance("abc", "", 2), 3);
  assert.equal(editDistance("kitten", "sitting", 3), 3);
  assert.equal(editDistance("kitten", "sitting", 2), 3);
  assert.equal(editDistance("ca", "abc", 3), 3);
  assert.equal(editDistance("a".repeat(10_000), "b".repeat(10_000), 3), 4);
  assert.equal(editDistance("x".repeat(5_000) + "ab", "x".repeat(5_000) + "ba", 1), 1);
});

test("splitConfigurationFunction: only script.ps1\\function", () => {
  assert.deepEqual(splitConfigurationFunction("Config.ps1\\Main"), { script: "Config.ps1", function: "Main" });
  assert.equal(splitConfigurationFunction("Main"), undefined);
  assert.equal(splitConfigurationFunction("Config.psm1\\Main"), undefined);
  assert.equal(splitConfigurationFunction("a\\b.ps1\\Main"), undefined);
  assert.equal(splitConfigurationFunction("Config.ps1\\"), undefined);
});
