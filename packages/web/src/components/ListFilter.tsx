// What the filtered, paged lists (报警中心, 举报处理) share: the filter with its page, and the range of
// whole Beijing days a list is filtered by.
import { DatePicker } from 'antd';
import { useState } from 'react';
import { fromPicker, toPicker } from './beijingTime';

/**
 * A list's filter and page (20 rows at first): `update` changes the filter — a value undefined or empty
 * takes its key off — and goes back to the first page, as `reset` does with the filter cleared.
 */
export function useListFilter<F extends object>() {
  const [filter, setFilter] = useState<F>({} as F);
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  const firstPage = () => setPage((p) => ({ ...p, current: 1 }));
  const update = (change: Partial<F>) => {
    setFilter((f) => {
      const next: Record<string, unknown> = { ...f, ...change };
      for (const k of Object.keys(next)) if (next[k] === undefined || next[k] === '') delete next[k];
      return next as F;
    });
    firstPage();
  };
  const reset = () => {
    setFilter({} as F);
    firstPage();
  };
  return { filter, page, setPage, update, reset };
}

/** Whole Beijing days picked as [from, to) (to: just after the last day's end), or none. */
export type DayRange = { from: number; to: number } | { from: undefined; to: undefined };

/** A range of whole Beijing days, from `from` to the day before `to`; cleared, both are undefined. */
export function DayRangePicker({
  from,
  to,
  onChange,
  placeholder,
  testId,
}: {
  from: number | undefined;
  to: number | undefined;
  onChange: (range: DayRange) => void;
  placeholder?: [string, string];
  testId?: string;
}) {
  return (
    <DatePicker.RangePicker
      data-testid={testId}
      placeholder={placeholder}
      value={from === undefined || to === undefined ? null : [toPicker(from), toPicker(to - 1)]}
      onChange={(values) => {
        const [a, b] = values ?? [];
        onChange(
          a && b
            ? { from: fromPicker(a.startOf('day')), to: fromPicker(b.endOf('day')) + 1 }
            : { from: undefined, to: undefined },
        );
      }}
    />
  );
}
