/** A 1-based page request, already validated and clamped by the adapter. */
export interface PageRequest {
  page: number;
  pageSize: number;
}

export interface Page<T> {
  items: T[];
  totalCount: number;
}

export const pageOffset = (request: PageRequest): number => (request.page - 1) * request.pageSize;
