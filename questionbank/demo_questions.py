"""Vietnamese questions for the demo bank: hand-written facts, and generated variants whose
answers are computed (so every generated question is right by construction)."""
from __future__ import annotations

import random
from datetime import date, timedelta

HIEN_PHAP = "Hiến pháp và bộ máy nhà nước"
CONG_CHUC = "Pháp luật về cán bộ, công chức"
VAN_THU = "Văn bản và công tác văn thư"
TIN_HOC = "Tin học văn phòng"
GENERAL_TOPICS = (HIEN_PHAP, CONG_CHUC, VAN_THU, TIN_HOC)

# (topic, difficulty, stem, options, index of the right option)
FACTS = [
    (HIEN_PHAP, 1, "Hiến pháp hiện hành của nước Cộng hòa xã hội chủ nghĩa Việt Nam được Quốc hội thông qua năm nào?",
     ["1992", "2001", "2013", "2015"], 2),
    (HIEN_PHAP, 1, "Theo Hiến pháp năm 2013, cơ quan nào là cơ quan hành chính nhà nước cao nhất?",
     ["Quốc hội", "Chính phủ", "Chủ tịch nước", "Tòa án nhân dân tối cao"], 1),
    (HIEN_PHAP, 1, "Theo Hiến pháp năm 2013, cơ quan quyền lực nhà nước cao nhất của nước Cộng hòa xã hội chủ nghĩa Việt Nam là:",
     ["Chính phủ", "Quốc hội", "Ủy ban Thường vụ Quốc hội", "Mặt trận Tổ quốc Việt Nam"], 1),
    (HIEN_PHAP, 1, "Theo Hiến pháp năm 2013, Thủ đô của nước Cộng hòa xã hội chủ nghĩa Việt Nam là:",
     ["Thành phố Hồ Chí Minh", "Thành phố Huế", "Hà Nội", "Thành phố Hải Phòng"], 2),
    (HIEN_PHAP, 1, "Theo Hiến pháp năm 2013, người đứng đầu Nhà nước, thay mặt nước Cộng hòa xã hội chủ nghĩa Việt Nam về đối nội và đối ngoại là:",
     ["Thủ tướng Chính phủ", "Chủ tịch Quốc hội", "Chủ tịch nước", "Tổng Bí thư"], 2),
    (HIEN_PHAP, 2, "Theo Hiến pháp năm 2013, Tòa án nhân dân là cơ quan:",
     ["thực hành quyền công tố", "xét xử, thực hiện quyền tư pháp", "hành chính nhà nước", "kiểm toán nhà nước"], 1),
    (HIEN_PHAP, 2, "Theo Hiến pháp năm 2013, Viện kiểm sát nhân dân có chức năng:",
     ["xét xử các vụ án", "thực hành quyền công tố, kiểm sát hoạt động tư pháp", "ban hành luật", "quản lý hành chính"], 1),
    (HIEN_PHAP, 2, "Nhiệm kỳ của mỗi khóa Quốc hội là bao nhiêu năm?", ["4 năm", "5 năm", "6 năm", "7 năm"], 1),
    (HIEN_PHAP, 2, "Theo Hiến pháp năm 2013, công dân đủ bao nhiêu tuổi có quyền bầu cử?",
     ["16 tuổi", "18 tuổi", "20 tuổi", "21 tuổi"], 1),
    (HIEN_PHAP, 2, "Theo Hiến pháp năm 2013, công dân đủ bao nhiêu tuổi có quyền ứng cử vào Quốc hội, Hội đồng nhân dân?",
     ["18 tuổi", "20 tuổi", "21 tuổi", "25 tuổi"], 2),
    (HIEN_PHAP, 2, "Theo Hiến pháp năm 2013, Hội đồng nhân dân là:",
     ["cơ quan hành chính nhà nước ở địa phương", "cơ quan quyền lực nhà nước ở địa phương",
      "cơ quan tư pháp ở địa phương", "tổ chức chính trị - xã hội"], 1),
    (HIEN_PHAP, 2, "Theo Hiến pháp năm 2013, Ủy ban nhân dân ở cấp chính quyền địa phương do cơ quan nào bầu?",
     ["Nhân dân địa phương", "Hội đồng nhân dân cùng cấp", "Chính phủ", "Ủy ban nhân dân cấp trên"], 1),
    (HIEN_PHAP, 3, "Hiến pháp năm 2013 có bao nhiêu chương và bao nhiêu điều?",
     ["10 chương, 110 điều", "11 chương, 120 điều", "12 chương, 147 điều", "11 chương, 124 điều"], 1),
    (HIEN_PHAP, 3, "Hiến pháp năm 2013 có hiệu lực thi hành từ ngày nào?",
     ["28/11/2013", "01/01/2014", "01/07/2014", "02/9/2014"], 1),
    (HIEN_PHAP, 3, "Theo Hiến pháp năm 2013, Ủy ban nhân dân là:",
     ["cơ quan quyền lực nhà nước ở địa phương", "cơ quan chấp hành của Hội đồng nhân dân, cơ quan hành chính nhà nước ở địa phương",
      "cơ quan đại diện của Chính phủ tại địa phương", "cơ quan thường trực của Hội đồng nhân dân"], 1),
    (CONG_CHUC, 1, "Công chức được tuyển dụng thông qua hình thức nào là chủ yếu?",
     ["Xét tuyển", "Thi tuyển", "Tiếp nhận", "Bổ nhiệm"], 1),
    (CONG_CHUC, 1, "Người dự tuyển công chức phải đủ bao nhiêu tuổi trở lên?", ["16 tuổi", "18 tuổi", "20 tuổi", "22 tuổi"], 1),
    (CONG_CHUC, 1, "Vòng 1 thi tuyển công chức theo Nghị định 170/2025/NĐ-CP được thi theo hình thức nào?",
     ["Thi viết trên giấy", "Thi trắc nghiệm trên máy vi tính", "Phỏng vấn", "Thực hành"], 1),
    (CONG_CHUC, 2, "Bài thi trắc nghiệm vòng 1 kỳ thi tuyển công chức gồm bao nhiêu câu hỏi và trong bao nhiêu phút?",
     ["30 câu, 30 phút", "60 câu, 60 phút", "90 câu, 90 phút", "120 câu, 120 phút"], 1),
    (CONG_CHUC, 2, "Thí sinh đạt vòng 1 khi trả lời đúng ít nhất bao nhiêu phần trăm số câu hỏi?",
     ["40%", "50%", "60%", "70%"], 1),
    (CONG_CHUC, 2, "Điểm thi vòng 2 (môn nghiệp vụ chuyên ngành) được chấm theo thang điểm nào?",
     ["10", "20", "50", "100"], 3),
    (CONG_CHUC, 2, "Thí sinh bị khiển trách trong khi thi bị trừ bao nhiêu phần trăm tổng số điểm (số câu đúng) bài thi?",
     ["10%", "25%", "50%", "100%"], 1),
    (CONG_CHUC, 3, "Thí sinh bị cảnh cáo trong khi thi bị trừ bao nhiêu phần trăm tổng số điểm (số câu đúng) bài thi?",
     ["25%", "40%", "50%", "75%"], 2),
    (CONG_CHUC, 3, "Khi có từ hai người trở lên có tổng điểm bằng nhau ở chỉ tiêu cuối cùng, sau khi xét thứ tự ưu tiên mà vẫn bằng nhau thì ai quyết định người trúng tuyển?",
     ["Chủ tịch Hội đồng tuyển dụng", "Người đứng đầu cơ quan có thẩm quyền tuyển dụng", "Trưởng ban coi thi", "Bộ trưởng Bộ Nội vụ"], 1),
    (CONG_CHUC, 3, "Thương binh dự tuyển công chức được cộng bao nhiêu điểm ưu tiên vào kết quả vòng 2?",
     ["2,5 điểm", "5 điểm", "7,5 điểm", "10 điểm"], 2),
    (VAN_THU, 1, "Nghị định nào quy định về công tác văn thư hiện hành?",
     ["Nghị định 110/2004/NĐ-CP", "Nghị định 30/2020/NĐ-CP", "Nghị định 09/2010/NĐ-CP", "Nghị định 138/2020/NĐ-CP"], 1),
    (VAN_THU, 1, "Văn bản hành chính được trình bày trên khổ giấy nào?", ["A3", "A4", "A5", "B5"], 1),
    (VAN_THU, 1, "Phông chữ dùng để trình bày văn bản hành chính theo Nghị định 30/2020/NĐ-CP là:",
     ["Arial", "Times New Roman", "VNI-Times", ".VnTime"], 1),
    (VAN_THU, 2, "Theo Nghị định 30/2020/NĐ-CP, văn bản hành chính gồm bao nhiêu loại?", ["25", "27", "29", "32"], 2),
    (VAN_THU, 2, "Văn bản điện tử được ký số bởi người có thẩm quyền có giá trị pháp lý như thế nào so với bản gốc văn bản giấy?",
     ["Thấp hơn", "Tương đương", "Chỉ có giá trị tham khảo", "Phải kèm bản giấy mới có giá trị"], 1),
    (VAN_THU, 2, "Bộ mã ký tự dùng trình bày văn bản hành chính là:",
     ["TCVN 3 (ABC)", "VNI", "Unicode theo TCVN 6909:2001", "ASCII"], 2),
    (VAN_THU, 3, "Loại văn bản nào sau đây KHÔNG phải là văn bản hành chính theo Nghị định 30/2020/NĐ-CP?",
     ["Công văn", "Tờ trình", "Luật", "Giấy mời"], 2),
    (VAN_THU, 3, "Văn bản đến phải được đăng ký vào hệ thống quản lý văn bản như thế nào?",
     ["Khi lãnh đạo đã đọc", "Ngay trong ngày, chậm nhất là ngày làm việc tiếp theo", "Trong vòng 5 ngày làm việc", "Cuối mỗi tuần"], 1),
    (TIN_HOC, 1, "Trong Microsoft Word, tổ hợp phím nào dùng để lưu văn bản?", ["Ctrl + P", "Ctrl + S", "Ctrl + N", "Ctrl + O"], 1),
    (TIN_HOC, 1, "Tổ hợp phím Ctrl + Z dùng để:", ["Sao chép", "Dán", "Hủy thao tác vừa thực hiện", "In văn bản"], 2),
    (TIN_HOC, 1, "Tệp có phần mở rộng .xlsx được tạo bởi phần mềm nào?",
     ["Microsoft Word", "Microsoft Excel", "Microsoft PowerPoint", "Adobe Reader"], 1),
    (TIN_HOC, 2, "Khi gửi thư điện tử, muốn gửi cho người nhận mà những người nhận khác không thấy địa chỉ của họ, ta điền địa chỉ vào ô:",
     ["To", "Cc", "Bcc", "Subject"], 2),
    (TIN_HOC, 2, "Bộ nhớ nào bị mất dữ liệu khi tắt máy tính?", ["ROM", "RAM", "Ổ cứng SSD", "Ổ đĩa USB"], 1),
    (TIN_HOC, 3, "Trong Excel, địa chỉ nào là địa chỉ tuyệt đối?", ["A1", "$A1", "A$1", "$A$1"], 3),
    (TIN_HOC, 3, "Để phòng tránh mã độc lây qua thư điện tử, cán bộ nên làm gì với tệp đính kèm từ người gửi lạ?",
     ["Mở ngay để kiểm tra", "Chuyển tiếp cho đồng nghiệp", "Không mở, báo cho bộ phận công nghệ thông tin", "Lưu vào máy rồi mở"], 2),
]

TRUE_FALSE_FACTS = [
    (HIEN_PHAP, 1, "Quốc khánh nước Cộng hòa xã hội chủ nghĩa Việt Nam là ngày 2 tháng 9.", 0),
    (HIEN_PHAP, 2, "Theo Hiến pháp năm 2013, Chính phủ là cơ quan quyền lực nhà nước cao nhất.", 1),
    (CONG_CHUC, 1, "Kết quả vòng 1 thi tuyển công chức được tính vào tổng điểm xét trúng tuyển.", 1),
    (CONG_CHUC, 2, "Không thực hiện phúc khảo đối với kết quả thi trắc nghiệm trên máy vi tính.", 0),
    (VAN_THU, 2, "Văn bản hành chính được trình bày theo chiều dài của khổ giấy A4.", 0),
    (TIN_HOC, 1, "Phím Delete xóa ký tự đứng bên phải con trỏ soạn thảo.", 0),
]


def _shuffled(rng: random.Random, right, wrong: list) -> tuple[list[str], int]:
    options = [str(right)] + [str(w) for w in wrong]
    rng.shuffle(options)
    return options, options.index(str(right))


def _excel(rng: random.Random, difficulty: int) -> dict:
    values = [rng.randint(2, 40) for _ in range(rng.randint(3, 5))]
    last = f"A{len(values)}"
    cells = ", ".join(f"A{i}={v}" for i, v in enumerate(values, start=1))
    if difficulty == 1:
        formula, right = f"=SUM(A1:{last})", sum(values)
        wrong = {right + rng.choice([-3, -1, 2, 5]), max(values), len(values)}
    elif difficulty == 2:
        formula, right = f"=MAX(A1:{last})-MIN(A1:{last})", max(values) - min(values)
        wrong = {max(values), min(values), sum(values) - min(values)}
    else:
        threshold = sorted(values)[len(values) // 2]
        formula, right = f'=COUNTIF(A1:{last};">={threshold}")', sum(v >= threshold for v in values)
        wrong = {right + 1, max(right - 1, 0) if right > 1 else right + 2, len(values) + 1}
    wrong.discard(right)
    wrong = sorted(wrong)[:3]
    while len(wrong) < 3:
        wrong.append(right + 10 + len(wrong))
    options, answer = _shuffled(rng, right, wrong)
    return {"topic": TIN_HOC, "difficulty": difficulty,
            "stem": f"Trong Excel, các ô có giá trị {cells}. Công thức <b>{formula}</b> cho kết quả bằng bao nhiêu?",
            "options": options, "answer": [answer]}


def _age(rng: random.Random, difficulty: int) -> dict:
    deadline = date(2026, rng.randint(1, 12), rng.randint(1, 28))
    years = rng.choice([17, 18]) if difficulty == 3 else rng.randint(19, 35)
    born = deadline.replace(year=deadline.year - years) + timedelta(days=rng.choice([-3, -1, 1, 3]))
    age = deadline.year - born.year - ((deadline.month, deadline.day) < (born.month, born.day))
    if difficulty == 3:
        stem = (f"Hạn nộp phiếu đăng ký dự tuyển là ngày {deadline:%d/%m/%Y}. Người sinh ngày {born:%d/%m/%Y} "
                "có đủ điều kiện về tuổi (đủ 18 tuổi trở lên) để đăng ký dự tuyển công chức không?")
        return {"topic": CONG_CHUC, "difficulty": 3, "type": "truefalse", "stem": stem.replace(" không?", "."),
                "options": ["Đủ tuổi", "Chưa đủ tuổi"], "answer": [0 if age >= 18 else 1]}
    options, answer = _shuffled(rng, age, [age - 1, age + 1, age + 2])
    return {"topic": CONG_CHUC, "difficulty": difficulty,
            "stem": f"Người sinh ngày {born:%d/%m/%Y} tính đến ngày {deadline:%d/%m/%Y} được bao nhiêu tuổi tròn?",
            "options": options, "answer": [answer]}


def _units(rng: random.Random, difficulty: int) -> dict:
    n = rng.randint(2, 64)
    if difficulty == 1:
        right, stem = n * 1024, f"{n} MB bằng bao nhiêu KB?"
        wrong = [n * 1000, n * 100, n * 2048]
    else:
        right, stem = n * 1024 * 1024, f"{n} GB bằng bao nhiêu KB?"
        wrong = [n * 1000 * 1000, n * 1024, n * 1024 * 1000]
    options, answer = _shuffled(rng, right, wrong)
    return {"topic": TIN_HOC, "difficulty": difficulty, "stem": stem, "options": options, "answer": [answer]}


def _deadline(rng: random.Random, difficulty: int) -> dict:
    published = date(2026, rng.randint(1, 12), rng.randint(1, 28))
    days = rng.choice([15, 30])
    right = published + timedelta(days=days)
    wrong = [right - timedelta(days=1), right + timedelta(days=1), published + timedelta(days=days // 2)]
    options, answer = _shuffled(rng, f"{right:%d/%m/%Y}", [f"{w:%d/%m/%Y}" for w in wrong])
    return {"topic": CONG_CHUC, "difficulty": difficulty,
            "stem": (f"Kết quả tuyển dụng được công bố ngày {published:%d/%m/%Y}. Người trúng tuyển phải hoàn thiện hồ sơ "
                     f"trong thời hạn {days} ngày kể từ ngày công bố. Hạn cuối cùng là ngày nào?"),
            "options": options, "answer": [answer]}


def _document_number(rng: random.Random, difficulty: int) -> dict:
    kinds = [("Quyết định", "QĐ"), ("Tờ trình", "TTr"), ("Báo cáo", "BC"), ("Kế hoạch", "KH"), ("Thông báo", "TB"),
             ("Biên bản", "BB")]
    name, abbreviation = rng.choice(kinds)
    number, year = rng.randint(1, 999), 2026
    right = f"{number}/{abbreviation}-UBND"
    wrong = [f"{number}/{year}/{abbreviation}-UBND", f"{abbreviation}-{number}/UBND", f"{number}-{abbreviation}/UBND"]
    options, answer = _shuffled(rng, right, wrong)
    return {"topic": VAN_THU, "difficulty": difficulty,
            "stem": f"Số, ký hiệu nào trình bày đúng cho một <i>{name.lower()}</i> số {number} của Ủy ban nhân dân thành phố?",
            "options": options, "answer": [answer]}


GENERATORS = {TIN_HOC: [_excel, _units], CONG_CHUC: [_age, _deadline], VAN_THU: [_document_number],
              HIEN_PHAP: []}

PROFESSIONAL = [
    ("CV-TC-01", "Ngân sách nhà nước", 1, "Năm ngân sách của Việt Nam bắt đầu từ ngày nào?",
     ["01/01", "01/4", "01/7", "01/10"], 0),
    ("CV-TC-01", "Ngân sách nhà nước", 2, "Kho bạc Nhà nước trực thuộc cơ quan nào?",
     ["Ngân hàng Nhà nước Việt Nam", "Bộ Tài chính", "Bộ Kế hoạch và Đầu tư", "Kiểm toán Nhà nước"], 1),
    ("CV-TC-01", "Ngân sách nhà nước", 2, "Cơ quan nào quyết định dự toán ngân sách địa phương?",
     ["Ủy ban nhân dân cùng cấp", "Hội đồng nhân dân cùng cấp", "Sở Tài chính", "Kho bạc Nhà nước"], 1),
    ("CV-CNTT-03", "An toàn thông tin", 1, "Giao thức nào mã hóa dữ liệu truyền giữa trình duyệt và máy chủ web?",
     ["HTTP", "FTP", "HTTPS", "Telnet"], 2),
    ("CV-CNTT-03", "An toàn thông tin", 2, "Xác thực hai yếu tố (2FA) kết hợp mật khẩu với:",
     ["một mật khẩu thứ hai", "một yếu tố khác như mã OTP trên điện thoại", "tên đăng nhập", "địa chỉ email"], 1),
    ("CV-CNTT-03", "Cơ sở dữ liệu", 2, "Câu lệnh SQL nào dùng để lấy dữ liệu từ bảng?", ["INSERT", "UPDATE", "SELECT", "DELETE"], 2),
    ("CV-TP-02", "Xây dựng văn bản pháp luật", 2, "Luật Ban hành văn bản quy phạm pháp luật quy định văn bản nào có hiệu lực pháp lý cao nhất?",
     ["Luật", "Hiến pháp", "Nghị định", "Nghị quyết của Quốc hội"], 1),
]


def general_bank(rng: random.Random, per_cell: dict[int, int]) -> list[dict]:
    """Every general topic with per_cell[difficulty] approved questions: the facts first, then
    computed variants (Hiến pháp has only facts, repeated in true/false form to fill its cells)."""
    out = []
    for topic in GENERAL_TOPICS:
        for difficulty, wanted in per_cell.items():
            cell = [{"topic": topic, "difficulty": d, "stem": s, "options": o, "answer": [a]}
                    for t, d, s, o, a in FACTS if t == topic and d == difficulty]
            cell += [{"topic": topic, "difficulty": d, "type": "truefalse", "stem": s, "options": ["Đúng", "Sai"],
                      "answer": [a]} for t, d, s, a in TRUE_FALSE_FACTS if t == topic and d == difficulty]
            generators = GENERATORS[topic]
            seen = {c["stem"] for c in cell}
            attempts = 0
            while len(cell) < wanted and generators and attempts < wanted * 20:
                attempts += 1
                item = rng.choice(generators)(rng, difficulty)
                if item["stem"] not in seen:
                    seen.add(item["stem"])
                    cell.append(item)
            if not generators:  # Hiến pháp: statements of the facts as true/false, and their negations
                for t, _d, s, o, a in FACTS:
                    if len(cell) >= wanted or t != topic:
                        continue
                    for i, option in enumerate(o):
                        statement = f"Đáp án đúng của câu hỏi «{s}» là «{option}»."
                        if statement not in seen and len(cell) < wanted:
                            seen.add(statement)
                            cell.append({"topic": topic, "difficulty": difficulty, "type": "truefalse",
                                         "stem": statement, "options": ["Đúng", "Sai"], "answer": [0 if i == a else 1]})
            out.extend(cell[:wanted])
    return out
