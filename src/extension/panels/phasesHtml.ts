/**
 * The phases panel's page: the bundled script and styles from dist/webview, a content security
 * policy that allows nothing else, and a nonce for the one script. @vscode-elements/elements styles
 * its components with constructed stylesheets (adoptedStyleSheets), which the policy does not
 * govern, so no 'unsafe-inline' is needed; the codicon font is a file of dist/webview.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

export function webviewRoot(extensionUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
}

export function phasesHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const nonce = randomBytes(16).toString('base64');
  const file = (name: string) => webview.asWebviewUri(vscode.Uri.joinPath(webviewRoot(extensionUri), name)).toString();
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} data:`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${file('codicon.css')}" id="vscode-codicon-stylesheet">
<link rel="stylesheet" href="${file('phases.css')}">
<title>Phases</title>
</head>
<body>
<main id="root"></main>
<script nonce="${nonce}" src="${file('phases.js')}"></script>
</body>
</html>`;
}
