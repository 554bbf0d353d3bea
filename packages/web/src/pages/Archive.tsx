import { ArrowLeftOutlined } from '@ant-design/icons';
import { Button, Card, Select, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { archiveApi } from '../api/archive';
import { useAuth } from '../auth';
import '../i18n/archive';
import { EnterpriseArchive } from './archive/EnterpriseArchive';
import { EnterprisePicker } from './archive/EnterprisePicker';
import { useLoad } from './archive/useLoad';

/** A searchable select of the enterprises in scope (the server searches by name or USCC). */
function EnterpriseSelect({ value, onChange }: { value: number; onChange: (id: number) => void }) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const { data } = useLoad(() => archiveApi.enterprises(search.trim()), [search]);
  const { data: current } = useLoad(() => archiveApi.enterprise(value), [value]);
  const options = (data ?? []).map((e) => ({ value: e.id, label: e.name }));
  if (current !== undefined && !options.some((o) => o.value === value))
    options.unshift({ value: current.id, label: current.name });
  return (
    <Select<number>
      data-testid="archive-select"
      showSearch={{ filterOption: false, onSearch: setSearch }}
      style={{ width: 360 }}
      placeholder={t('archivePage.search')}
      value={current === undefined ? undefined : value}
      options={options}
      onChange={onChange}
      loading={data === undefined}
    />
  );
}

/** 一企一档: pick an enterprise (an enterprise user goes straight to its own), then its whole file. */
export default function Archive() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const [params, setParams] = useSearchParams();
  const own = me?.enterpriseId ?? null;
  if (own !== null) return <EnterpriseArchive enterpriseId={own} />;
  const chosen = Number(params.get('enterprise'));
  const open = (id: number) => setParams({ enterprise: String(id) });
  if (!Number.isInteger(chosen) || chosen <= 0) return <EnterprisePicker onPick={open} />;
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Card size="small">
        <Space>
          <Button icon={<ArrowLeftOutlined />} onClick={() => setParams({})} data-testid="archive-back">
            {t('archivePage.back')}
          </Button>
          <EnterpriseSelect value={chosen} onChange={open} />
        </Space>
      </Card>
      <EnterpriseArchive key={chosen} enterpriseId={chosen} />
    </Space>
  );
}
