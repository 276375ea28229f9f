// Tree nodes are model objects: each owns its TreeItem and its children, and knows its parent so that
// TreeView.reveal works. The provider only delegates. A failed load becomes an error node with a retry
// action in place of the children; the rest of the tree stays.
import * as vscode from 'vscode';
import { describeError } from '../boundary';
import { type ConnectionSettings } from '../config';
import { connectionFixOf } from '../connections/fixes';
import { escapeMarkdown } from '../details/markdown';

export { escapeMarkdown };

export abstract class TreeNode {
  constructor(readonly parent: TreeNode | undefined) {}

  /** Unique and stable across refreshes (used as the TreeItem id, for reveal and expansion state). */
  abstract readonly id: string;

  abstract getTreeItem(): vscode.TreeItem;

  getChildren(): Promise<TreeNode[]> {
    return Promise.resolve([]);
  }

  /** The node to refresh when this node's own data changed (usually itself). */
  get refreshTarget(): TreeNode {
    return this;
  }
}

/** Changes the tree through the provider: nodes call it instead of holding the provider. */
export interface TreeChanges {
  changed(node: TreeNode | undefined): void;
  /** A load failed: the node shows an error item, and the log gets the whole error with its stack. */
  loadFailed(node: TreeNode, error: unknown): void;
}

/** A node whose children come from requests; failures turn into an error node with "Retry Loading". */
export abstract class LoadingNode extends TreeNode {
  private cache: TreeNode[] | undefined;
  /** A load in flight: the view and a reveal asking at once share it (one request, not two). */
  private loading: Promise<TreeNode[]> | undefined;
  /** Bumped when the children are forgotten, so a load that started before does not fill the cache. */
  private generation = 0;
  private asked = false;

  constructor(parent: TreeNode | undefined, protected readonly changes: TreeChanges) {
    super(parent);
  }

  protected abstract loadChildren(): Promise<TreeNode[]>;

  override getChildren(): Promise<TreeNode[]> {
    this.asked = true;
    if (this.cache) return Promise.resolve(this.cache);
    if (this.loading) return this.loading;
    const generation = this.generation;
    const load = this.loadChildren().then(
      children => {
        if (generation === this.generation) this.cache = children;
        return children;
      },
      (e: unknown) => {
        this.changes.loadFailed(this, e);
        return [new ErrorNode(this, e)];
      },
    );
    this.loading = load;
    void load.finally(() => {
      if (this.loading === load) this.loading = undefined;
    });
    return load;
  }

  /** Forget what was loaded; the next expansion loads again. */
  invalidate(): void {
    this.forgetChildren();
  }

  /** Forget the rendered children but keep the data they came from: the next expansion renders again. */
  protected forgetChildren(): void {
    this.cache = undefined;
    this.loading = undefined;
    this.generation++;
  }

  refresh(): void {
    this.invalidate();
    this.changes.changed(this);
  }

  /** The children loaded so far, without loading (for reveal and for updates by id). */
  get loaded(): readonly TreeNode[] | undefined {
    return this.cache;
  }

  /** True once anyone asked for the children (the view expanded it, or a reveal went through it). */
  get everExpanded(): boolean {
    return this.asked;
  }
}

/** One page at a time: the loaded items, then "Load More..." while the server has a next cursor. */
export abstract class PagedNode<T> extends LoadingNode {
  private items: T[] = [];
  private nextCursor: string | undefined;
  private loadedOnce = false;
  /** The next page while it loads: a second "Load More..." joins it instead of loading it again. */
  private loadingMore: Promise<void> | undefined;
  /** Bumped when the pages are dropped, so a page that was loading is not appended to the new list. */
  private pageGeneration = 0;
  /** One "Load More..." item, so it can be redrawn as loading. */
  private readonly moreNode = new LoadMoreNode(this);

  protected abstract loadPage(cursor: string | undefined): Promise<{ items: T[]; nextCursor?: string }>;
  protected abstract toNode(item: T): TreeNode;

  protected override async loadChildren(): Promise<TreeNode[]> {
    if (!this.loadedOnce) {
      const page = await this.loadPage(undefined);
      this.items = page.items;
      this.nextCursor = page.nextCursor;
      this.loadedOnce = true;
    }
    return this.render();
  }

  protected render(): TreeNode[] {
    const nodes = this.items.map(i => this.toNode(i));
    if (nodes.length === 0) nodes.push(this.emptyNode());
    if (this.nextCursor) nodes.push(this.moreNode);
    return nodes;
  }

  protected emptyNode(): TreeNode {
    return new MessageNode(this, 'empty', 'Nothing here yet');
  }

  get hasMore(): boolean {
    return this.nextCursor !== undefined;
  }

  /**
   * Fetches the next page (one request) and appends it; page one is not fetched again. Clicking again while
   * it loads waits for the same page: loading it twice would list its items twice under the same ids.
   */
  loadMore(): Promise<void> {
    if (this.loadingMore) return this.loadingMore;
    const loading = this.appendNextPage().catch((e: unknown) => {
      this.changes.loadFailed(this, e);
      throw e;
    }).finally(() => {
      this.loadingMore = undefined;
      this.changes.changed(this.moreNode);
    });
    this.loadingMore = loading;
    this.changes.changed(this.moreNode);
    return loading;
  }

  get isLoadingMore(): boolean {
    return this.loadingMore !== undefined;
  }

  private async appendNextPage(): Promise<void> {
    const cursor = this.nextCursor;
    if (!cursor) return;
    const generation = this.pageGeneration;
    const page = await this.loadPage(cursor);
    // A refresh while the page loaded started over from page one: this page belongs to the old list.
    if (generation !== this.pageGeneration || cursor !== this.nextCursor) return;
    const known = new Set(this.items.map(i => this.keyOf(i)));
    this.items = [...this.items, ...page.items.filter(i => !known.has(this.keyOf(i)))];
    this.nextCursor = page.nextCursor;
    this.forgetChildren();
    this.changes.changed(this);
  }

  /** Identifies an item among the pages (an item moved to page one by putFirst is not listed again). */
  protected abstract keyOf(item: T): string;

  /** True once the first page arrived (until the next invalidate). */
  get isLoaded(): boolean {
    return this.loadedOnce;
  }

  /** Puts an item first among the loaded ones (dropping an older copy), without a request. */
  protected putFirst(item: T, same: (other: T) => boolean): void {
    this.items = [item, ...this.items.filter(i => !same(i))];
    this.forgetChildren();
  }

  /** Replaces a loaded item in place; false when it is not loaded. */
  protected replaceItem(item: T, same: (other: T) => boolean): boolean {
    const index = this.items.findIndex(same);
    if (index < 0) return false;
    this.items = this.items.map((old, i) => (i === index ? item : old));
    return true;
  }

  override invalidate(): void {
    this.loadedOnce = false;
    this.items = [];
    this.nextCursor = undefined;
    this.pageGeneration++;
    super.invalidate();
  }

  protected get loadedItems(): readonly T[] {
    return this.items;
  }
}

export class LoadMoreNode extends TreeNode {
  constructor(override readonly parent: PagedNode<unknown>) {
    super(parent);
  }
  get id(): string {
    return `${this.parent.id}/~more`;
  }
  getTreeItem(): vscode.TreeItem {
    const loading = this.parent.isLoadingMore;
    const item = new vscode.TreeItem(loading ? 'Loading More...' : 'Load More...', vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon(loading ? 'loading~spin' : 'fold-down');
    item.contextValue = 'loadMore';
    // While the page loads a click does nothing (the command would join the same load anyway).
    if (!loading) item.command = { command: 'cdfWorkflows.loadMore', title: 'Load More', arguments: [this] };
    return item;
  }
}

export class ErrorNode extends TreeNode {
  constructor(override readonly parent: LoadingNode, readonly error: unknown) {
    super(parent);
  }
  get id(): string {
    return `${this.parent.id}/~error`;
  }

  /** The connection settings of the root this error is under (the fix commands take its name). */
  private get settings(): ConnectionSettings | undefined {
    let node: TreeNode = this.parent;
    while (node.parent) node = node.parent;
    const c = (node as { connection?: unknown }).connection;
    return typeof c === 'object' && c !== null && typeof (c as ConnectionSettings).name === 'string' ? (c as ConnectionSettings) : undefined;
  }

  /** The connection's name, so the fix commands know which connection to fix. */
  get connection(): string | undefined {
    return this.settings?.name;
  }

  getTreeItem(): vscode.TreeItem {
    const { message } = describeError(this.error);
    const fix = connectionFixOf(this.error, this.settings?.auth?.type);
    const item = new vscode.TreeItem(message, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
    // The label is cut at the view's width: the tooltip has the whole message and what to do.
    item.tooltip = new vscode.MarkdownString(
      `**Could not load.**\n\n${escapeMarkdown(message)}\n\n${fix ? `${fix.hint}\n\n` : ''}Use *Retry Loading* to try again.`,
    );
    item.contextValue = ['error', fix?.token].filter(Boolean).join(' ');
    item.accessibilityInformation = { label: `Could not load: ${message}${fix ? ` Fix: ${fix.title}` : ''}` };
    return item;
  }
}

export class MessageNode extends TreeNode {
  constructor(parent: TreeNode | undefined, private readonly key: string, private readonly label: string, private readonly icon = 'info') {
    super(parent);
  }
  get id(): string {
    return `${this.parent?.id ?? ''}/~${this.key}`;
  }
  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon(this.icon);
    item.contextValue = 'message';
    return item;
  }
}

