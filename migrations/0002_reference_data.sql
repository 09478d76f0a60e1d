-- 0002: reference data.
-- Towns and streets of 晋江市 (350582) [public]: 6 streets and 13 towns.  The 9-digit codes
-- follow the national pattern (county code + 3 digits: streets 0xx, towns 1xx) in the order
-- policy-facts.md lists them [design: to be confirmed by the talent office].
INSERT INTO towns (code, name_zh, name_en, kind, sort) VALUES
('350582001', '青阳街道', 'Qingyang Subdistrict', 'street', 1),
('350582002', '梅岭街道', 'Meiling Subdistrict', 'street', 2),
('350582003', '西园街道', 'Xiyuan Subdistrict', 'street', 3),
('350582004', '罗山街道', 'Luoshan Subdistrict', 'street', 4),
('350582005', '新塘街道', 'Xintang Subdistrict', 'street', 5),
('350582006', '灵源街道', 'Lingyuan Subdistrict', 'street', 6),
('350582100', '安海镇', 'Anhai Town', 'town', 7),
('350582101', '磁灶镇', 'Cizao Town', 'town', 8),
('350582102', '陈埭镇', 'Chendai Town', 'town', 9),
('350582103', '东石镇', 'Dongshi Town', 'town', 10),
('350582104', '深沪镇', 'Shenhu Town', 'town', 11),
('350582105', '金井镇', 'Jinjing Town', 'town', 12),
('350582106', '池店镇', 'Chidian Town', 'town', 13),
('350582107', '内坑镇', 'Neikeng Town', 'town', 14),
('350582108', '龙湖镇', 'Longhu Town', 'town', 15),
('350582109', '永和镇', 'Yonghe Town', 'town', 16),
('350582110', '英林镇', 'Yinglin Town', 'town', 17),
('350582111', '紫帽镇', 'Zimao Town', 'town', 18),
('350582112', '西滨镇', 'Xibin Town', 'town', 19);

-- The "4341" groups [design] and the known chains under them [public].
INSERT INTO industries (code, parent, name_zh, name_en, is_4341, editable, sort) VALUES
('G4', NULL, '四大传统优势产业', 'Four traditional pillar industries', 1, 1, 1),
('G3', NULL, '三大战略性新兴产业', 'Three strategic emerging industries', 1, 1, 2),
('G4S', NULL, '四大现代服务业', 'Four modern service industries', 1, 1, 3),
('G1', NULL, '一批未来产业', 'Future industries', 1, 1, 4),
('TEX', 'G4', '纺织鞋服', 'Textiles, apparel and footwear', 1, 1, 10),
('FOOD', 'G4', '食品饮料', 'Food and beverages', 1, 1, 11),
('BMAT', 'G4', '建材陶瓷', 'Building materials and ceramics', 1, 1, 12),
('PAPER', 'G4', '纸制品', 'Paper products', 1, 1, 13),
('IC', 'G3', '集成电路', 'Integrated circuits', 1, 1, 20),
('NMAT', 'G3', '新材料（石墨烯）', 'New materials (graphene)', 1, 1, 21),
('PV', 'G3', '光伏电子', 'Photovoltaics and electronics', 1, 1, 22),
('EQUIP', 'G4S', '装备机械', 'Equipment and machinery', 1, 1, 30),
('HEALTH', 'G4S', '医疗健康', 'Medical and health', 1, 1, 31),
('ECOM', 'G4S', '电子商务', 'E-commerce', 1, 1, 32),
('LOGI', 'G4S', '现代物流', 'Modern logistics', 1, 1, 33),
('DIGI', 'G1', '数字经济', 'Digital economy', 1, 1, 40),
('OTHER', NULL, '其他行业', 'Other industries', 0, 1, 99);

INSERT INTO degrees (code, rank, name_zh, name_en) VALUES
('none', 0, '无学历/其他', 'None or other'),
('associate', 1, '大专', 'Associate degree'),
('bachelor', 2, '本科', 'Bachelor''s degree'),
('master', 3, '硕士研究生', 'Master''s degree'),
('phd', 4, '博士研究生', 'Doctorate');

INSERT INTO titles (code, rank, name_zh, name_en) VALUES
('junior', 1, '初级职称', 'Junior title'),
('intermediate', 2, '中级职称', 'Intermediate title'),
('deputy_senior', 3, '副高级职称', 'Associate senior title'),
('senior', 4, '正高级职称', 'Senior title');

INSERT INTO skill_levels (code, rank, name_zh, name_en) VALUES
('1', 1, '高级技师（一级）', 'Senior technician (level 1)'),
('2', 2, '技师（二级）', 'Technician (level 2)'),
('3', 3, '高级工（三级）', 'Senior worker (level 3)'),
('4', 4, '中级工（四级）', 'Intermediate worker (level 4)'),
('5', 5, '初级工（五级）', 'Junior worker (level 5)');

INSERT INTO enterprise_sizes (code, rank, name_zh, name_en) VALUES
('micro', 1, '微型', 'Micro'),
('small', 2, '小型', 'Small'),
('medium', 3, '中型', 'Medium'),
('large', 4, '大型', 'Large');
