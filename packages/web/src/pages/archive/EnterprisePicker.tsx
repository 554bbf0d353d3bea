import { Alert, Card, Input, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { archiveApi, type EnterpriseFull } from '../../api/archive';
import { useLoad } from './useLoad';

/** The enterprises in the caller's scope, searched by name or USCC; a click opens one's archive. */
export function EnterprisePicker({ onPick }: { onPick: (id: number) => void }) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const { data, error } = useLoad(() => archiveApi.enterprises(search.trim()), [search]);
  return (
    <Card
      size="small"
      title={t('archivePage.pick')}
      extra={
        <Input.Search
          allowClear
          style={{ width: 320 }}
          placeholder={t('archivePage.search')}
          onSearch={setSearch}
          data-testid="archive-search"
        />
      }
    >
      {error && <Alert type="error" title={error} showIcon />}
      <Table<EnterpriseFull>
        data-testid="archive-enterprises"
        size="small"
        rowKey="id"
        loading={data === undefined && !error}
        dataSource={data ?? []}
        pagination={{ pageSize: 20, showSizeChanger: false, hideOnSinglePage: true }}
        onRow={(e) => ({ onClick: () => onPick(e.id), style: { cursor: 'pointer' } })}
        columns={[
          {
            title: t('archivePage.name'),
            dataIndex: 'name',
            render: (name: string, e) => (
              <Link to={`?enterprise=${e.id}`} data-testid="archive-enterprise-link">
                {name}
              </Link>
            ),
          },
          { title: t('archivePage.uscc'), dataIndex: 'uscc' },
          { title: t('archivePage.region'), dataIndex: 'regionCode' },
          {
            title: t('archivePage.industry'),
            dataIndex: 'industryCode',
            render: (v: string | null) => v ?? '—',
          },
          { title: t('archivePage.address'), dataIndex: 'address', render: (v: string | null) => v ?? '—' },
          {
            title: t('archivePage.status'),
            dataIndex: 'status',
            render: (s: string) => (
              <Tag color={s === 'active' ? 'green' : 'default'}>
                {t(`archivePage.statuses.${s}`, { defaultValue: s })}
              </Tag>
            ),
          },
        ]}
      />
    </Card>
  );
}
