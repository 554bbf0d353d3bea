/**
 * 湖北省行政区划 (GB/T 2260 codes) — province, city-level and county-level divisions.
 *
 * Source and date basis: the county-level list published by the Ministry of Civil Affairs
 * (民政部 《中华人民共和国县以上行政区划代码》), state as of 2024. The most recent Hubei county-level
 * changes reflected here are 京山县 → 京山市 (420882, 2018) and 监利县 → 监利市 (421088, 2020).
 * Cross-checked against the county-level rows of the National Bureau of Statistics'
 * 统计用区划代码 (which agree with GB/T 2260 at this level); the NBS-only statistical units
 * 421071 荆州经济技术开发区 and 421171 龙感湖管理区 are not administrative divisions and are left out.
 *
 * Platform conventions:
 * - the 13 地级市/自治州 and the four 省直辖县级行政单位 (429004 仙桃市, 429005 潜江市,
 *   429006 天门市, 429021 神农架林区) are all level 'city' with parent 420000 (17 in all);
 *   the four 省直辖 units have no county children;
 * - every 市辖区, 县级市, 县 and 自治县 under the 13 地级市/自治州 is level 'county' with its city
 *   as parent (99 in all; with the four 省直辖 units that is Hubei's official 103 county-level divisions).
 */
import type { RegionSeed } from './reference-types.js';

export const HUBEI_REGIONS: readonly RegionSeed[] = [
  { code: '420000', name: '湖北省', level: 'province', parent: null },

  // 地级市、自治州及省直辖县级行政单位 (level city)
  { code: '420100', name: '武汉市', level: 'city', parent: '420000' },
  { code: '420200', name: '黄石市', level: 'city', parent: '420000' },
  { code: '420300', name: '十堰市', level: 'city', parent: '420000' },
  { code: '420500', name: '宜昌市', level: 'city', parent: '420000' },
  { code: '420600', name: '襄阳市', level: 'city', parent: '420000' },
  { code: '420700', name: '鄂州市', level: 'city', parent: '420000' },
  { code: '420800', name: '荆门市', level: 'city', parent: '420000' },
  { code: '420900', name: '孝感市', level: 'city', parent: '420000' },
  { code: '421000', name: '荆州市', level: 'city', parent: '420000' },
  { code: '421100', name: '黄冈市', level: 'city', parent: '420000' },
  { code: '421200', name: '咸宁市', level: 'city', parent: '420000' },
  { code: '421300', name: '随州市', level: 'city', parent: '420000' },
  { code: '422800', name: '恩施土家族苗族自治州', level: 'city', parent: '420000' },
  { code: '429004', name: '仙桃市', level: 'city', parent: '420000' },
  { code: '429005', name: '潜江市', level: 'city', parent: '420000' },
  { code: '429006', name: '天门市', level: 'city', parent: '420000' },
  { code: '429021', name: '神农架林区', level: 'city', parent: '420000' },

  // 武汉市 (13)
  { code: '420102', name: '江岸区', level: 'county', parent: '420100' },
  { code: '420103', name: '江汉区', level: 'county', parent: '420100' },
  { code: '420104', name: '硚口区', level: 'county', parent: '420100' },
  { code: '420105', name: '汉阳区', level: 'county', parent: '420100' },
  { code: '420106', name: '武昌区', level: 'county', parent: '420100' },
  { code: '420107', name: '青山区', level: 'county', parent: '420100' },
  { code: '420111', name: '洪山区', level: 'county', parent: '420100' },
  { code: '420112', name: '东西湖区', level: 'county', parent: '420100' },
  { code: '420113', name: '汉南区', level: 'county', parent: '420100' },
  { code: '420114', name: '蔡甸区', level: 'county', parent: '420100' },
  { code: '420115', name: '江夏区', level: 'county', parent: '420100' },
  { code: '420116', name: '黄陂区', level: 'county', parent: '420100' },
  { code: '420117', name: '新洲区', level: 'county', parent: '420100' },

  // 黄石市 (6)
  { code: '420202', name: '黄石港区', level: 'county', parent: '420200' },
  { code: '420203', name: '西塞山区', level: 'county', parent: '420200' },
  { code: '420204', name: '下陆区', level: 'county', parent: '420200' },
  { code: '420205', name: '铁山区', level: 'county', parent: '420200' },
  { code: '420222', name: '阳新县', level: 'county', parent: '420200' },
  { code: '420281', name: '大冶市', level: 'county', parent: '420200' },

  // 十堰市 (8)
  { code: '420302', name: '茅箭区', level: 'county', parent: '420300' },
  { code: '420303', name: '张湾区', level: 'county', parent: '420300' },
  { code: '420304', name: '郧阳区', level: 'county', parent: '420300' },
  { code: '420322', name: '郧西县', level: 'county', parent: '420300' },
  { code: '420323', name: '竹山县', level: 'county', parent: '420300' },
  { code: '420324', name: '竹溪县', level: 'county', parent: '420300' },
  { code: '420325', name: '房县', level: 'county', parent: '420300' },
  { code: '420381', name: '丹江口市', level: 'county', parent: '420300' },

  // 宜昌市 (13)
  { code: '420502', name: '西陵区', level: 'county', parent: '420500' },
  { code: '420503', name: '伍家岗区', level: 'county', parent: '420500' },
  { code: '420504', name: '点军区', level: 'county', parent: '420500' },
  { code: '420505', name: '猇亭区', level: 'county', parent: '420500' },
  { code: '420506', name: '夷陵区', level: 'county', parent: '420500' },
  { code: '420525', name: '远安县', level: 'county', parent: '420500' },
  { code: '420526', name: '兴山县', level: 'county', parent: '420500' },
  { code: '420527', name: '秭归县', level: 'county', parent: '420500' },
  { code: '420528', name: '长阳土家族自治县', level: 'county', parent: '420500' },
  { code: '420529', name: '五峰土家族自治县', level: 'county', parent: '420500' },
  { code: '420581', name: '宜都市', level: 'county', parent: '420500' },
  { code: '420582', name: '当阳市', level: 'county', parent: '420500' },
  { code: '420583', name: '枝江市', level: 'county', parent: '420500' },

  // 襄阳市 (9)
  { code: '420602', name: '襄城区', level: 'county', parent: '420600' },
  { code: '420606', name: '樊城区', level: 'county', parent: '420600' },
  { code: '420607', name: '襄州区', level: 'county', parent: '420600' },
  { code: '420624', name: '南漳县', level: 'county', parent: '420600' },
  { code: '420625', name: '谷城县', level: 'county', parent: '420600' },
  { code: '420626', name: '保康县', level: 'county', parent: '420600' },
  { code: '420682', name: '老河口市', level: 'county', parent: '420600' },
  { code: '420683', name: '枣阳市', level: 'county', parent: '420600' },
  { code: '420684', name: '宜城市', level: 'county', parent: '420600' },

  // 鄂州市 (3)
  { code: '420702', name: '梁子湖区', level: 'county', parent: '420700' },
  { code: '420703', name: '华容区', level: 'county', parent: '420700' },
  { code: '420704', name: '鄂城区', level: 'county', parent: '420700' },

  // 荆门市 (5)
  { code: '420802', name: '东宝区', level: 'county', parent: '420800' },
  { code: '420804', name: '掇刀区', level: 'county', parent: '420800' },
  { code: '420822', name: '沙洋县', level: 'county', parent: '420800' },
  { code: '420881', name: '钟祥市', level: 'county', parent: '420800' },
  { code: '420882', name: '京山市', level: 'county', parent: '420800' },

  // 孝感市 (7)
  { code: '420902', name: '孝南区', level: 'county', parent: '420900' },
  { code: '420921', name: '孝昌县', level: 'county', parent: '420900' },
  { code: '420922', name: '大悟县', level: 'county', parent: '420900' },
  { code: '420923', name: '云梦县', level: 'county', parent: '420900' },
  { code: '420981', name: '应城市', level: 'county', parent: '420900' },
  { code: '420982', name: '安陆市', level: 'county', parent: '420900' },
  { code: '420984', name: '汉川市', level: 'county', parent: '420900' },

  // 荆州市 (8)
  { code: '421002', name: '沙市区', level: 'county', parent: '421000' },
  { code: '421003', name: '荆州区', level: 'county', parent: '421000' },
  { code: '421022', name: '公安县', level: 'county', parent: '421000' },
  { code: '421024', name: '江陵县', level: 'county', parent: '421000' },
  { code: '421081', name: '石首市', level: 'county', parent: '421000' },
  { code: '421083', name: '洪湖市', level: 'county', parent: '421000' },
  { code: '421087', name: '松滋市', level: 'county', parent: '421000' },
  { code: '421088', name: '监利市', level: 'county', parent: '421000' },

  // 黄冈市 (10)
  { code: '421102', name: '黄州区', level: 'county', parent: '421100' },
  { code: '421121', name: '团风县', level: 'county', parent: '421100' },
  { code: '421122', name: '红安县', level: 'county', parent: '421100' },
  { code: '421123', name: '罗田县', level: 'county', parent: '421100' },
  { code: '421124', name: '英山县', level: 'county', parent: '421100' },
  { code: '421125', name: '浠水县', level: 'county', parent: '421100' },
  { code: '421126', name: '蕲春县', level: 'county', parent: '421100' },
  { code: '421127', name: '黄梅县', level: 'county', parent: '421100' },
  { code: '421181', name: '麻城市', level: 'county', parent: '421100' },
  { code: '421182', name: '武穴市', level: 'county', parent: '421100' },

  // 咸宁市 (6)
  { code: '421202', name: '咸安区', level: 'county', parent: '421200' },
  { code: '421221', name: '嘉鱼县', level: 'county', parent: '421200' },
  { code: '421222', name: '通城县', level: 'county', parent: '421200' },
  { code: '421223', name: '崇阳县', level: 'county', parent: '421200' },
  { code: '421224', name: '通山县', level: 'county', parent: '421200' },
  { code: '421281', name: '赤壁市', level: 'county', parent: '421200' },

  // 随州市 (3)
  { code: '421303', name: '曾都区', level: 'county', parent: '421300' },
  { code: '421321', name: '随县', level: 'county', parent: '421300' },
  { code: '421381', name: '广水市', level: 'county', parent: '421300' },

  // 恩施土家族苗族自治州 (8)
  { code: '422801', name: '恩施市', level: 'county', parent: '422800' },
  { code: '422802', name: '利川市', level: 'county', parent: '422800' },
  { code: '422822', name: '建始县', level: 'county', parent: '422800' },
  { code: '422823', name: '巴东县', level: 'county', parent: '422800' },
  { code: '422825', name: '宣恩县', level: 'county', parent: '422800' },
  { code: '422826', name: '咸丰县', level: 'county', parent: '422800' },
  { code: '422827', name: '来凤县', level: 'county', parent: '422800' },
  { code: '422828', name: '鹤峰县', level: 'county', parent: '422800' },
];
