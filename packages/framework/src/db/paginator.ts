import { FrameworkError } from "../exceptions.js";

/** A page number that is not a usable number (Django's `InvalidPage`). */
export class InvalidPage extends FrameworkError {}
/** The page number is not an integer. */
export class PageNotAnInteger extends InvalidPage {}
/** The page number is below 1 or past the last page. */
export class EmptyPage extends InvalidPage {}

/** What a paginator can split: an array, or a query set (counted with COUNT, sliced with LIMIT/OFFSET). */
export interface Paginatable<T> {
  count(): Promise<number>;
  slice(start: number, end: number): { toArray(): Promise<T[]> };
}

/**
 * Splits a list or query set into pages (Django's `Paginator`). A query set is counted once
 * and each page is one LIMIT/OFFSET query.
 *
 * @example
 * const paginator = new Paginator(Question.objects.orderBy("-pubDate"), 20);
 * const page = await paginator.page(request.GET.get("page") ?? 1); // throws EmptyPage / PageNotAnInteger
 */
export class Paginator<T> {
  #count: number | undefined;

  constructor(
    readonly objectList: Paginatable<T> | readonly T[],
    readonly perPage: number,
    readonly options: { orphans?: number; allowEmptyFirstPage?: boolean } = {},
  ) {
    if (!Number.isInteger(perPage) || perPage < 1) throw new TypeError(`Paginator: perPage must be a positive integer, got ${perPage}.`);
  }

  /** The number of objects (one COUNT query, cached). */
  async count(): Promise<number> {
    this.#count ??= Array.isArray(this.objectList) ? this.objectList.length : await (this.objectList as Paginatable<T>).count();
    return this.#count;
  }

  /** The number of pages (at least 1 when an empty first page is allowed). */
  async numPages(): Promise<number> {
    const count = await this.count();
    if (count === 0 && this.options.allowEmptyFirstPage === false) return 0;
    const hits = Math.max(1, count - (this.options.orphans ?? 0));
    return Math.ceil(hits / this.perPage);
  }

  /**
   * Checks a page number (a number or the query string's text); throws PageNotAnInteger or EmptyPage.
   *
   * @example
   * await paginator.validateNumber("2"); // 2
   */
  async validateNumber(number: number | string): Promise<number> {
    const parsed = typeof number === "number" ? number : /^\s*-?\d+\s*$/.test(number) ? Number(number) : Number.NaN;
    if (!Number.isInteger(parsed)) throw new PageNotAnInteger("That page number is not an integer");
    if (parsed < 1) throw new EmptyPage("That page number is less than 1");
    const pages = await this.numPages();
    if (parsed > pages && !(parsed === 1 && this.options.allowEmptyFirstPage !== false)) throw new EmptyPage("That page contains no results");
    return parsed;
  }

  /** Page `number` (from 1); throws InvalidPage for a bad number. */
  async page(number: number | string): Promise<Page<T>> {
    const valid = await this.validateNumber(number);
    const count = await this.count();
    const bottom = (valid - 1) * this.perPage;
    let top = bottom + this.perPage;
    if (top + (this.options.orphans ?? 0) >= count) top = count;
    const items = Array.isArray(this.objectList) ? this.objectList.slice(bottom, top) : await (this.objectList as Paginatable<T>).slice(bottom, top).toArray();
    return new Page(items, valid, count, await this.numPages(), this.perPage);
  }

  /** Like `page()`, but a bad number gives the first page and one past the end the last (Django's `get_page`). */
  async getPage(number: number | string | null | undefined): Promise<Page<T>> {
    try {
      return await this.page(number ?? 1);
    } catch (error) {
      if (error instanceof PageNotAnInteger) return this.page(1);
      if (error instanceof EmptyPage) return this.page(Math.max(1, await this.numPages()));
      throw error;
    }
  }
}

/** One page: its objects and where it is (Django's `Page`). */
export class Page<T> implements Iterable<T> {
  constructor(
    readonly objectList: readonly T[],
    readonly number: number,
    /** Objects in all pages. */
    readonly count: number,
    readonly numPages: number,
    private readonly perPage: number,
  ) {}

  [Symbol.iterator](): Iterator<T> {
    return this.objectList[Symbol.iterator]();
  }

  get length(): number {
    return this.objectList.length;
  }

  hasNext(): boolean {
    return this.number < this.numPages;
  }

  hasPrevious(): boolean {
    return this.number > 1;
  }

  hasOtherPages(): boolean {
    return this.hasNext() || this.hasPrevious();
  }

  nextPageNumber(): number {
    if (!this.hasNext()) throw new EmptyPage("That page contains no results");
    return this.number + 1;
  }

  previousPageNumber(): number {
    if (!this.hasPrevious()) throw new EmptyPage("That page number is less than 1");
    return this.number - 1;
  }

  /** 1-based index of the first object on the page (0 when there are none). */
  startIndex(): number {
    return this.count === 0 ? 0 : this.perPage * (this.number - 1) + 1;
  }

  /** 1-based index of the last object on the page. */
  endIndex(): number {
    return this.number === this.numPages ? this.count : this.number * this.perPage;
  }
}
