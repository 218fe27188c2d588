/**
 * A small criteria index and sheet for component tests: a nested criterion (tea 6.1 → 6.1.1),
 * a tourism case criterion (8), star markers, an inferred option and an eliminating note.
 */
import type { CriteriaIndex } from '../lib/bindings/CriteriaIndex';
import type { ProductSet } from '../lib/bindings/ProductSet';
import type { SetSummary } from '../lib/bindings/SetSummary';

const food = { code: 'I', name: 'Thực phẩm' };
const tourism = { code: 'VI', name: 'Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch' };
const drinks = { code: 'II', name: 'Đồ uống' };

function summary(no: number, name: string, category: typeof food, group: string, sub: string): SetSummary {
  return {
    code: String(no).padStart(2, '0'),
    no,
    name,
    classification: {
      category,
      group: { code: group, name: name },
      subgroup: { code: sub, name },
    },
    leaves: 31,
  };
}

const sets: SetSummary[] = [
  summary(26, 'Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch', tourism, 'VI.1', 'VI.1'),
  summary(7, 'Chế biến từ rau, củ, quả, hạt', food, 'I.3', 'I.3.c'),
  summary(11, 'Chè tươi, chè chế biến', food, 'I.5', 'I.5.a'),
  summary(14, 'Rượu trắng', drinks, 'II.1', 'II.1.a'),
];

export const index: CriteriaIndex = {
  decisions: [
    {
      id: 'QD148-2023',
      number: '148/QĐ-TTg',
      title: 'Bộ tiêu chí và quy trình đánh giá, phân hạng sản phẩm Chương trình mỗi xã một sản phẩm',
      signed: '2023-02-24',
      effective: '2023-02-24',
      procedures: ['148-district', '148-province', 'centre'],
      footer_note: '',
      sets: sets.slice(1, 3),
    },
    {
      id: 'QD26-2026',
      number: '26/2026/QĐ-TTg',
      title: 'Ban hành Bộ tiêu chí và quy trình đánh giá, phân hạng sản phẩm mỗi xã một sản phẩm',
      signed: '2026-05-22',
      effective: '2026-05-22',
      procedures: ['26-province', 'centre'],
      footer_note: '',
      sets,
    },
  ],
};

const noChildren = { notes: [], eliminating: [], cases: [], children: [] };

export const teaSheet: ProductSet = {
  decision: 'QD26-2026',
  code: '11',
  no: 11,
  name: 'Chè tươi, chè chế biến',
  classification: {
    category: food,
    group: { code: 'I.5', name: 'Chè' },
    subgroup: { code: 'I.5.a', name: 'Chè tươi, chè chế biến' },
  },
  disqualification: 'Giả mạo hồ sơ hoặc không đáp ứng về hồ sơ đăng ký theo quy định',
  parts: [
    {
      code: 'A',
      title: 'SẢN PHẨM VÀ SỨC MẠNH CỦA CỘNG ĐỒNG',
      max: 40,
      groups: [
        {
          code: '1',
          title: 'TỔ CHỨC SẢN XUẤT',
          max: 40,
          criteria: [
            {
              ...noChildren,
              code: '1.1',
              title: 'Nguồn nguyên liệu',
              max: 3,
              notes: ['Ghi chú: Bị loại nếu sử dụng toàn bộ nguyên liệu nhập khẩu'],
              eliminating: ['Ghi chú: Bị loại nếu sử dụng toàn bộ nguyên liệu nhập khẩu'],
              options: [
                { text: 'Dưới 50% nguyên liệu trong tỉnh', points: 1, min_star: 3 },
                { text: 'Từ 50% đến dưới 75%', points: 2 },
                { text: 'Từ 75% đến 100%', points: 3 },
              ],
            },
            {
              ...noChildren,
              code: '2.4',
              title: 'Ghi nhãn hàng hóa có sử dụng song ngữ',
              max: 1,
              options: [
                { text: 'Không', points: 0, inferred: true },
                { text: 'Có', points: 1, inferred: true },
              ],
            },
            {
              ...noChildren,
              code: '8',
              title: 'Đáp ứng điều kiện kinh doanh dịch vụ',
              max: 3,
              notes: ['Lựa chọn một trong hai trường hợp sau:'],
              cases: [
                { code: 'a', label: 'Trường hợp 1: Dịch vụ du lịch do cộng đồng cung cấp' },
                { code: 'b', label: 'Trường hợp 2: Điểm dịch vụ du lịch' },
              ],
              options: [
                { text: 'Đáp ứng đủ yêu cầu về đăng ký kinh doanh', points: 1, case: 'a' },
                { text: 'Có cơ sở đạt tiêu chuẩn phục vụ khách du lịch', points: 3, case: 'a', min_star: 5 },
                { text: 'Đáp ứng đủ điều kiện kinh doanh', points: 1, case: 'b' },
                { text: 'Được công nhận điểm du lịch', points: 3, case: 'b' },
              ],
            },
          ],
        },
      ],
    },
    { code: 'B', title: 'KHẢ NĂNG TIẾP THỊ', max: 25, groups: [] },
    {
      code: 'C',
      title: 'CHẤT LƯỢNG SẢN PHẨM',
      max: 35,
      groups: [
        {
          code: '6',
          title: 'CHỈ TIÊU CẢM QUAN',
          max: 30,
          criteria: [
            {
              ...noChildren,
              code: '6.1',
              title: 'Ngoại hình',
              max: 4,
              options: [],
              children: [
                {
                  ...noChildren,
                  code: '6.1.1',
                  title: 'Tạp chất',
                  max: 2,
                  options: [
                    { text: 'Có tạp chất', points: 0 },
                    { text: 'Có rất ít tạp chất, chấp nhận được', points: 1 },
                    { text: 'Sạch, không phát hiện tạp chất', points: 2, min_star: 4 },
                  ],
                },
                {
                  ...noChildren,
                  code: '6.1.2',
                  title: 'Hình dạng, màu sắc cánh chè',
                  max: 2,
                  options: [
                    { text: 'Hình dạng/màu không phù hợp', points: 0 },
                    { text: 'Đồng đều, màu tự nhiên, phù hợp', points: 2, min_star: 4 },
                  ],
                },
              ],
            },
          ],
        },
        {
          code: '7',
          title: 'TÍNH ĐỘC ĐÁO',
          max: 5,
          criteria: [
            {
              ...noChildren,
              code: '7',
              title: 'TÍNH ĐỘC ĐÁO',
              max: 5,
              options: [
                { text: 'Trung bình', points: 0 },
                { text: 'Rất độc đáo và có tính đặc trưng', points: 5, min_star: 5 },
              ],
            },
          ],
        },
      ],
    },
  ],
};
