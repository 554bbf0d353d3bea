// 系统管理's registry additions: a point's factors, permits, 名录 years, contractors and contracts (zh-CN,
// English). Field names shared with 一企一档 are archivePage's (i18n/archive.ts).
import i18n from 'i18next';

const zh = {
  registryAdmin: {
    tab: '运维单位',
    remove: '移除',
    close: '关闭',
    contractsInForce: '在用运维合同',
    factors: {
      open: '因子',
      code2005: '2005 编码',
      add: '添加因子',
    },
    permits: {
      new: '申报许可证',
      copyFrom: '参照已有许可证（延续、变更）',
      copyHint: '许可证一经登记不再修改：延续或变更时登记一份新的许可证，可从已有许可证带入排放量与期限。',
      addAllowance: '添加许可排放量',
    },
    keyUnits: {
      year: '年度',
      categories: '名录类别',
      none: '未列入重点排污单位名录',
      add: '添加年度',
      repeated: '年度重复',
      hint: '不勾选任何类别的年度、或移除的年度，将从名录中删除。',
    },
    contractors: {
      title: '运维等第三方单位',
      allKinds: '全部类别',
      new: '新增单位',
      serviceRegions: '服务区域',
      more: ' 等 {{n}} 个',
      qualificationsHint: '输入后回车，可填多项',
      pick: '选择左侧单位以查看和登记其合同',
    },
    contracts: {
      title: '合同（决定该单位用户可见的企业与点位）',
      new: '登记合同',
      enterprise: '企业',
      pointHint: '不选点位即覆盖企业的全部点位',
      startsOn: '开始日期',
      endsOn: '结束日期',
      inForce: '履行中',
      notInForce: '不在期内',
      scopeDefault: '自动监控设施运维',
      actions: '操作',
      end: '终止合同',
      endTitle: '终止合同 · {{name}}',
      endOn: '终止日期',
      endHint:
        '自终止日期起合同不再履行，合同结束日期改为其前一天；该单位用户随即不能再查看合同所覆盖的企业或点位。',
      endAfterStart: '终止日期须晚于开始日期 {{day}}',
      endNotAfterEnd: '终止日期不得晚于原结束日期 {{day}}（合同届时已自然结束）',
      endConfirm: '确定自 {{day}} 起终止该合同？',
      endConfirmDetail: '{{name}}：合同结束日期将改为 {{last}}，此操作记入审计日志。',
      cancel: '取消合同',
      cancelled: '已取消',
      cancelTitle: '取消合同 · {{name}}',
      cancelHint:
        '只能取消尚未开始履行的合同；取消后合同保留备查但永不生效，该单位用户不会因此获得查看权限。已开始履行的合同请使用“终止合同”。',
      cancelReason: '取消原因',
      cancelConfirm: '确定取消该合同？',
      cancelConfirmDetail: '{{name}}（{{term}}）：合同将永不生效，且不能恢复，此操作记入审计日志。',
    },
  },
};

const en: typeof zh = {
  registryAdmin: {
    tab: 'Contractors',
    remove: 'Remove',
    close: 'Close',
    contractsInForce: 'Contracts in force',
    factors: {
      open: 'Factors',
      code2005: '2005 code',
      add: 'Add factor',
    },
    permits: {
      new: 'File permit',
      copyFrom: 'Based on a permit on record (renewal, change)',
      copyHint:
        'A permit on record is never changed: a renewal or change is filed as a new permit, which may take the allowances and dates of one on record.',
      addAllowance: 'Add allowance',
    },
    keyUnits: {
      year: 'Year',
      categories: 'Listed for',
      none: 'Not on the key-discharger list',
      add: 'Add year',
      repeated: 'Year repeated',
      hint: 'A year with no category ticked, or removed, is taken off the list.',
    },
    contractors: {
      title: 'Contractors',
      allKinds: 'All kinds',
      new: 'New contractor',
      serviceRegions: 'Regions served',
      more: ' and others ({{n}})',
      qualificationsHint: 'Type and press Enter; several allowed',
      pick: 'Pick a contractor on the left to see and record its contracts',
    },
    contracts: {
      title: 'Contracts (what the contractor’s users see)',
      new: 'Record contract',
      enterprise: 'Enterprise',
      pointHint: 'No point: all the enterprise’s points',
      startsOn: 'Starts on',
      endsOn: 'Ends on',
      inForce: 'In force',
      notInForce: 'Not in force',
      scopeDefault: 'Automatic monitoring O&M',
      actions: 'Actions',
      end: 'End contract',
      endTitle: 'End contract · {{name}}',
      endOn: 'Ends from',
      endHint:
        'From this day the contract is no longer in force (its last day becomes the day before); the contractor’s users lose sight of the enterprise or point it covers at once.',
      endAfterStart: 'The end must be after the start day {{day}}',
      endNotAfterEnd: 'The end may not be after the current last day {{day}} (it ends by itself then)',
      endConfirm: 'End this contract from {{day}}?',
      endConfirmDetail: '{{name}}: its last day becomes {{last}}; the change is kept in the audit log.',
      cancel: 'Cancel contract',
      cancelled: 'Cancelled',
      cancelTitle: 'Cancel contract · {{name}}',
      cancelHint:
        'Only a contract that has not started can be cancelled: it is kept for the record but never in force, so the contractor’s users gain no access through it. End a started contract instead.',
      cancelReason: 'Reason',
      cancelConfirm: 'Cancel this contract?',
      cancelConfirmDetail:
        '{{name}} ({{term}}): the contract will never be in force and cannot be restored; the change is kept in the audit log.',
    },
  },
};

i18n.addResourceBundle('zh-CN', 'translation', zh, true, true);
i18n.addResourceBundle('en', 'translation', en, true, true);
