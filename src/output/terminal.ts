// Object text on a terminal, as cli-runtime writes it (printers/terminal.go WriteEscaped):
// an escape character is shown as "^[" and a carriage return as "\r", so a label, reason or
// annotation cannot move the cursor or recolour the screen (kubernetes issue #101695).

/** printers.EscapeTerminal: "\x1b" becomes "^[", "\r" becomes the two characters "\r". */
export const escapeTerminal = (text: string) => text.replaceAll('\u001b', '^[').replaceAll('\r', '\\r');
