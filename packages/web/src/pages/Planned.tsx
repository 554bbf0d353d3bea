import { Card, Empty, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { PageSpec } from '../routes';

/** A page of the menu still to be built: says what it will show and which API routes feed it. */
export default function Planned({ page }: { page: PageSpec }) {
  const { t } = useTranslation();
  return (
    <Card title={t(`menu.${page.key}`)}>
      <Empty
        description={
          <>
            <Typography.Paragraph>{t('placeholder.todo')}</Typography.Paragraph>
            {(page.sources ?? []).map((s) => (
              <Typography.Paragraph key={s} code>
                {s}
              </Typography.Paragraph>
            ))}
          </>
        }
      />
    </Card>
  );
}
