import * as vscode from 'vscode';

/**
 * A wizard made of QuickInput steps sharing one title and a "Step n of m" counter, with a Back
 * button on every step but the first. Each step validates as the user types; Enter is refused while
 * the value is invalid, so a finished wizard always holds valid fields.
 */
export class Cancelled extends Error {
  constructor() {
    super('cancelled');
  }
}

class Back extends Error {
  constructor() {
    super('back');
  }
}

export interface TextStep {
  kind: 'text';
  prompt: string;
  placeholder?: string;
  value: string;
  password?: boolean;
  /** A message when the value cannot be used, undefined when it can. */
  validate(value: string): string | undefined;
  accept(value: string): void;
}

export interface PickItem<T> extends vscode.QuickPickItem {
  value: T;
}

export interface PickStep<T> {
  kind: 'pick';
  placeholder: string;
  items: PickItem<T>[];
  active?: T;
  accept(value: T): void;
}

export type Step = TextStep | PickStep<unknown>;

/** A step, or a function that decides from the answers so far which steps follow (none: undefined). */
export type StepSource = Step | (() => Step | undefined);

export async function runSteps(title: string, steps: StepSource[]): Promise<void> {
  const history: number[] = [];
  let index = 0;
  while (index < steps.length) {
    const source = steps[index]!;
    const step = typeof source === 'function' ? source() : source;
    if (!step) {
      index += 1;
      continue;
    }
    const shown = history.length + 1;
    // Conditional steps count only when the answers so far make them appear.
    const total = shown + steps.slice(index + 1).filter((s) => typeof s !== 'function' || s() !== undefined).length;
    try {
      if (step.kind === 'text') await showText(title, step, shown, total, history.length > 0);
      else await showPick(title, step, shown, total, history.length > 0);
      history.push(index);
      index += 1;
    } catch (error) {
      if (!(error instanceof Back)) throw error;
      index = history.pop() ?? 0;
    }
  }
}

function showText(title: string, step: TextStep, n: number, total: number, canGoBack: boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const box = vscode.window.createInputBox();
    box.title = title;
    box.step = n;
    box.totalSteps = total;
    box.prompt = step.prompt;
    box.placeholder = step.placeholder;
    box.value = step.value;
    box.password = step.password ?? false;
    box.ignoreFocusOut = true;
    box.buttons = canGoBack ? [vscode.QuickInputButtons.Back] : [];
    const disposables: vscode.Disposable[] = [];
    let settled = false;
    const finish = (action: () => void) => {
      settled = true;
      disposables.forEach((d) => d.dispose());
      box.dispose();
      action();
    };
    const check = (value: string) => {
      box.validationMessage = step.validate(value);
    };
    check(step.value);
    disposables.push(
      box.onDidChangeValue(check),
      box.onDidTriggerButton((button) => {
        if (button === vscode.QuickInputButtons.Back) finish(() => reject(new Back()));
      }),
      box.onDidAccept(() => {
        const message = step.validate(box.value);
        if (message) {
          box.validationMessage = message;
          return;
        }
        step.accept(box.value);
        finish(resolve);
      }),
      box.onDidHide(() => {
        if (!settled) finish(() => reject(new Cancelled()));
      }),
    );
    box.show();
  });
}

function showPick(title: string, step: PickStep<unknown>, n: number, total: number, canGoBack: boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const pick = vscode.window.createQuickPick<PickItem<unknown>>();
    pick.title = title;
    pick.step = n;
    pick.totalSteps = total;
    pick.placeholder = step.placeholder;
    pick.items = step.items;
    pick.ignoreFocusOut = true;
    const active = step.items.find((item) => item.value === step.active);
    if (active) pick.activeItems = [active];
    pick.buttons = canGoBack ? [vscode.QuickInputButtons.Back] : [];
    const disposables: vscode.Disposable[] = [];
    let settled = false;
    const finish = (action: () => void) => {
      settled = true;
      disposables.forEach((d) => d.dispose());
      pick.dispose();
      action();
    };
    disposables.push(
      pick.onDidTriggerButton((button) => {
        if (button === vscode.QuickInputButtons.Back) finish(() => reject(new Back()));
      }),
      pick.onDidAccept(() => {
        const chosen = pick.selectedItems[0] ?? pick.activeItems[0];
        if (!chosen) return;
        step.accept(chosen.value);
        finish(resolve);
      }),
      pick.onDidHide(() => {
        if (!settled) finish(() => reject(new Cancelled()));
      }),
    );
    pick.show();
  });
}
