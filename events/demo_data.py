"""The demo's fixed data: zones, titles, people, venues (ko, zh, en), the roadshow cities,
the online programmes and the delegation's programme. The partner organisations and their
people are companies.demo's (the technology exchange needs them before events load).
"""

import datetime as dt

from companies.demo import COUNTY_EMAIL, INVESTOR_EMAIL, LOCAL_COMPANY_EMAIL  # noqa: F401

SEOUL = "Asia/Seoul"
SHANGHAI = "Asia/Shanghai"

MATCHING_TITLE_EN = "Binxian China–Korea matching session, December 2026"
COMPETITION_TITLE_EN = "China–Korea Science & Technology Startup Competition 2027"
DELEGATION_TITLE_EN = "Korean tech founders' delegation to Harbin, summer 2020"

# Founders with portal accounts, by demo company index (companies.demo.brn(index)); the
# first resident (0) and Hanbit Robotics (1) already have theirs.
FOUNDERS = [
    (2, "ceo@nuri-edulab.example", "김서윤 Kim Seo-yun", "ko en"),
    (4, "ceo@h2green.example", "이도현 Lee Do-hyun", "ko"),
    (6, "ceo@daon-medical.example", "박하준 Park Ha-jun", "ko en"),
    (7, "ceo@bareun-factory.example", "최지우 Choi Ji-woo", "ko zh"),
    (8, "ceo@mirinae-soft.example", "정민재 Jeong Min-jae", "ko en"),
    (11, "ceo@hangyeol-fintech.example", "강예린 Kang Ye-rin", "ko"),
    (17, "ceo@deepvision.example", "윤태양 Yoon Tae-yang", "ko en"),
    (18, "ceo@codebrain.example", "한지민 Han Ji-min", "ko en zh"),
    (20, "ceo@moneybridge.example", "조은우 Cho Eun-woo", "ko"),
    (22, "ceo@smart-gongbang.example", "신유나 Shin Yu-na", "ko zh"),
    (23, "ceo@motion-factory.example", "오시우 Oh Si-woo", "ko en"),
]

# The heads of the 16 delegation companies (fictional names), in companies.demo order.
DELEGATION_HEADS = [
    "이한빛 Lee Han-bit", "김누리 Kim Nu-ri", "송청명 Song Cheong-myeong", "한수소 Han Su-so",
    "서소담 Seo So-dam", "문다온 Moon Da-on", "배바른 Bae Ba-reun", "노미리 No Mi-ri",
    "유가온 Yoo Ga-on", "황세움 Hwang Se-um", "임한결 Lim Han-gyeol", "전라온 Jeon Ra-on",
    "남도담 Nam Do-dam", "권새빛 Kwon Sae-bit", "홍하늘 Hong Ha-neul", "양온새 Yang On-sae",
]  # fmt: skip

# Venues and places in Korean, Chinese and English.
CENTER_VENUE = (
    "중한 국제 혁신창업센터, 하얼빈",
    "中韩国际创新创业中心（哈尔滨）",
    "China–Korea International Innovation & Startup Center, Harbin",
)
BINXI_VENUE = (
    "하얼빈 빈시 중한 혁신산업협력센터, 빈현",
    "哈尔滨宾西中韩创新产业合作中心（宾县）",
    "Harbin Binxi China–Korea Innovation Industry Cooperation Center, Binxian",
)
SEOUL_VENUE = (
    "한국액셀러레이터협회, 서울",
    "韩国加速器协会（首尔）",
    "Korea Accelerator Association, Seoul",
)
DAQING_VENUE = (
    "다칭 하이테크존 서비스센터",
    "大庆高新区服务中心",
    "Daqing High-tech Zone service center",
)
BUSAN_VENUE = ("부산 창업캠퍼스", "釜山创业园区", "Busan Startup Campus")
HARBIN_EXPO_VENUE = (
    "하얼빈 국제컨벤션전시센터",
    "哈尔滨国际会展中心",
    "Harbin International Convention and Exhibition Center",
)
AIRPORT = ("하얼빈 타이핑 국제공항", "哈尔滨太平国际机场", "Harbin Taiping International Airport")
HARBIN = ("하얼빈", "哈尔滨", "Harbin")
BINXIAN = ("빈현", "宾县", "Binxian")
ROADSHOW_CITIES = [
    # city (en), city (ko), city (zh), zone, venue
    ("Harbin", "하얼빈", "哈尔滨", SHANGHAI, CENTER_VENUE),
    ("Binxian", "빈현", "宾县", SHANGHAI, BINXI_VENUE),
    ("Seoul", "서울", "首尔", SEOUL, SEOUL_VENUE),
    ("Daqing", "다칭", "大庆", SHANGHAI, DAQING_VENUE),
    ("Busan", "부산", "釜山", SEOUL, BUSAN_VENUE),
    (
        "Qiqihar",
        "치치하얼",
        "齐齐哈尔",
        SHANGHAI,
        ("치치하얼 투자유치센터", "齐齐哈尔投资促进中心", "Qiqihar Investment Promotion Center"),
    ),
    (
        "Daejeon",
        "대전",
        "大田",
        SEOUL,
        ("대덕연구개발특구, 대전", "大德研发特区（大田）", "Daedeok Innopolis, Daejeon"),
    ),
    (
        "Mudanjiang",
        "무단장",
        "牡丹江",
        SHANGHAI,
        ("무단장 중한 무역관", "牡丹江中韩贸易馆", "Mudanjiang China–Korea Trade Hall"),
    ),
]

ONLINE_PROGRAMMES = [
    # title (ko, zh, en), first session (local date), sessions (ko, zh, en)
    (
        ("중국 시장 진출 웨비나", "中国市场进入网络研讨会", "China market entry webinars"),
        dt.date(2020, 9, 8),
        [
            ("헤이룽장 시장", "黑龙江市场", "Heilongjiang's market"),
            ("유통 채널", "分销渠道", "Distribution channels"),
            ("가격과 통관", "定价与海关", "Pricing and customs"),
        ],
    ),
    (
        (
            "중국 법인 설립과 세무 온라인 과정",
            "中国公司注册与税务在线课程",
            "Company registration and tax in China, online course",
        ),
        dt.date(2020, 10, 13),
        [
            ("법인 형태 선택", "选择公司形式", "Choosing a legal form"),
            ("통일사회신용코드와 은행 계좌", "统一社会信用代码与银行账户", "USCC and bank account"),
            ("부가가치세와 세금계산서", "增值税与发票", "VAT and invoices"),
            ("사회보험", "社会保险", "Social insurance"),
        ],
    ),
    (
        ("온라인 투자 로드쇼", "在线投资路演", "Online investment roadshow"),
        dt.date(2020, 12, 1),
        [
            ("AI 스타트업 피칭", "人工智能初创企业路演", "AI startups pitch"),
            ("제조 스타트업 피칭", "制造业初创企业路演", "Manufacturing startups pitch"),
        ],
    ),
    (
        ("중국 지식재산권 보호", "在华知识产权保护", "Protecting IP in China"),
        dt.date(2021, 2, 23),
        [
            (
                "특허: 중국 국가지식산권국(CNIPA) 출원",
                "专利：国家知识产权局申请",
                "Patents: CNIPA filings",
            ),
            ("상표", "商标", "Trademarks"),
            ("영업비밀", "商业秘密", "Trade secrets"),
        ],
    ),
    (
        (
            "한국어·직업교육 온라인 교류",
            "韩语与职业教育在线交流",
            "Korean-language and vocational education exchange",
        ),
        dt.date(2021, 4, 20),
        [
            ("교육과정", "课程体系", "Curricula"),
            ("교사 교류", "教师交流", "Teacher exchange"),
            ("온라인 교실", "在线课堂", "Online classrooms"),
        ],
    ),
    (
        (
            "디지털 경제 핵심기술 교류",
            "数字经济核心技术交流",
            "Digital-economy core technologies exchange",
        ),
        dt.date(2021, 6, 15),
        [
            ("인공지능", "人工智能", "AI"),
            ("과학기술 금융", "科技金融", "Science-and-technology finance"),
            ("스마트 제조", "智能制造", "Intelligent manufacturing"),
        ],
    ),
]

DELEGATION_PROGRAMME = [
# (local start, local end, ko, zh, en, place, host: an organisation key, None the center)
    ((7, 28, 14, 0), (7, 28, 17, 0), "전세기 도착, 신속통로 입국 절차",
     "包机抵达，快捷通道入境手续", "Arrival on the charter flight, fast-track entry",
     AIRPORT, "harbin_commerce"),
    ((7, 29, 9, 0), (7, 29, 11, 30), "헤이룽장성 투자 환경 설명회", "黑龙江省投资环境说明会",
     "Briefing: investing in Heilongjiang", HARBIN, "harbin_commerce"),
    ((7, 30, 9, 30), (7, 30, 16, 0), "빈현 경제개발구 시찰", "宾县经济开发区考察",
     "Visit of the Binxian economic development zone", BINXIAN, "binxian_gov"),
    ((8, 3, 9, 0), (8, 3, 17, 0), "한중 기업 1:1 매칭", "中韩企业一对一对接",
     "China–Korea company matching session", HARBIN, None),
    ((8, 5, 10, 0), (8, 5, 12, 0), "하얼빈공업대학 기술 교류", "哈尔滨工业大学技术交流",
     "Technology exchange at Harbin Institute of Technology", HARBIN, "hit"),
    ((8, 10, 9, 30), (8, 10, 11, 0), "두 센터 설립식", "两个中心成立仪式",
     "Founding ceremony of the two centers", BINXIAN, "binxian_gov"),
    ((8, 10, 14, 0), (8, 10, 16, 0), "빈현 인민정부 간담회", "与宾县人民政府座谈",
     "Meeting with the Binxian county government", BINXIAN, "binxian_gov"),
    ((8, 12, 8, 0), (8, 12, 10, 0), "출국", "离境", "Departure",
     AIRPORT, None),
]  # fmt: skip
