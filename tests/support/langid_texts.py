"""Project-written sentences in every language the default registry routes (three or more each).

Written for these tests (not taken from any test set): everyday news and travel sentences, with
extra ones for the close pairs (be/uk/ru, ms/id, hr, da/no/sv, es/ca/gl, cs/sk).
"""

from __future__ import annotations

SENTENCES: dict[str, tuple[str, ...]] = {
    "af": (
        "Die stadsraad het gisteraand besluit om meer busse op die besige roetes te laat ry.",
        "My ouma bak elke Sondag melktert vir die hele familie en die bure.",
        "Ons het die hele dag by die see deurgebring en eers laat huis toe gery.",
    ),
    "am": (
        "የከተማው ምክር ቤት ለሕዝብ ትራንስፖርት አዲስ በጀት ትናንት አጸደቀ።",
        "ዛሬ ጠዋት ብዙ ሰዎች ወደ ገበያ ሄዱ።",
        "ልጆቹ በትምህርት ቤት ውስጥ አዲስ ቋንቋ እየተማሩ ነው።",
    ),
    "ar": (
        "وافق مجلس المدينة مساء الثلاثاء على ميزانية جديدة للنقل العام.",
        "ذهبت العائلة إلى السوق صباح الجمعة لشراء الخضار والفواكه.",
        "يدرس الطلاب في الجامعة اللغة الإنجليزية والرياضيات.",
    ),
    "be": (
        "Гарадская рада ўчора ўвечары зацвердзіла новы бюджэт для грамадскага транспарту.",
        "Мая бабуля кожную нядзелю пячэ бліны для ўсёй сям'і і суседзяў.",
        "Дзеці вельмі любяць гуляць у снежкі, калі на вуліцы шмат снегу.",
    ),
    "bg": (
        "Общинският съвет одобри във вторник вечерта нов бюджет за градския транспорт.",
        "Баба ми всяка неделя прави баница за цялото семейство.",
        "Децата обичат да играят в парка след училище, когато времето е хубаво.",
    ),
    "bn": (
        "নগর পরিষদ মঙ্গলবার সন্ধ্যায় গণপরিবহনের জন্য নতুন বাজেট অনুমোদন করেছে।",
        "আমার দাদি প্রতি রবিবার পুরো পরিবারের জন্য পিঠা বানান।",
        "ছেলেমেয়েরা স্কুলের পরে মাঠে ফুটবল খেলতে ভালোবাসে।",
    ),
    "ca": (
        "L'ajuntament va aprovar dimarts al vespre un nou pressupost per al transport públic.",
        "Els nens juguen cada tarda a la plaça després de sortir de l'escola.",
        "Aquest estiu anirem de vacances a la costa amb els meus avis.",
    ),
    "cs": (
        "Městská rada v úterý večer schválila nový rozpočet pro veřejnou dopravu.",
        "Moje babička každou neděli peče koláče pro celou rodinu a sousedy.",
        "Děti si po škole rády hrají v parku, když je hezké počasí.",
    ),
    "da": (
        "Byrådet vedtog tirsdag aften et nyt budget for den offentlige transport.",
        "Min mormor bager boller til hele familien hver søndag morgen.",
        "Børnene leger i haven, indtil det bliver mørkt om aftenen.",
    ),
    "de": (
        "Der Stadtrat hat am Dienstagabend einen neuen Haushalt für den Nahverkehr beschlossen.",
        "Meine Großmutter backt jeden Sonntag einen Kuchen für die ganze Familie.",
        "Nach der Schule spielen die Kinder gern im Park, wenn das Wetter schön ist.",
    ),
    "el": (
        "Το δημοτικό συμβούλιο ενέκρινε την Τρίτη το βράδυ νέο προϋπολογισμό για τις συγκοινωνίες.",
        "Η γιαγιά μου φτιάχνει κάθε Κυριακή πίτα για όλη την οικογένεια.",
        "Τα παιδιά παίζουν στο πάρκο μετά το σχολείο όταν έχει καλό καιρό.",
    ),
    "en": (
        "The city council approved a new budget for public transport on Tuesday evening.",
        "My grandmother bakes a cake for the whole family every Sunday afternoon.",
        "After school the children like to play in the park when the weather is nice.",
    ),
    "eo": (
        "La urba konsilio aprobis novan buĝeton por la publika transporto marde vespere.",
        "Mia avino bakas kukon por la tuta familio ĉiun dimanĉon.",
        "Post la lernejo la infanoj ŝatas ludi en la parko, kiam la vetero estas bela.",
    ),
    "es": (
        "El ayuntamiento aprobó el martes por la noche un nuevo presupuesto para el transporte.",
        "Mi abuela prepara una tarta para toda la familia cada domingo por la tarde.",
        "Los niños juegan en el parque después del colegio cuando hace buen tiempo.",
    ),
    "et": (
        "Linnavolikogu kiitis teisipäeva õhtul heaks uue ühistranspordi eelarve.",
        "Minu vanaema küpsetab igal pühapäeval kogu perele kooki.",
        "Pärast kooli mängivad lapsed pargis, kui ilm on ilus.",
    ),
    "eu": (
        "Udalak asteartean arratsaldean garraio publikorako aurrekontu berria onartu zuen.",
        "Nire amonak igandero tarta bat egiten du familia osoarentzat.",
        "Haurrek parkean jolasten dute eskolatik irten ondoren, eguraldi ona dagoenean.",
    ),
    "fa": (
        "شورای شهر سه‌شنبه شب بودجه جدیدی برای حمل و نقل عمومی تصویب کرد.",
        "مادربزرگم هر جمعه برای همه خانواده غذای خوشمزه می‌پزد.",
        "بچه‌ها بعد از مدرسه دوست دارند در پارک بازی کنند.",
    ),
    "fi": (
        "Kaupunginvaltuusto hyväksyi tiistai-iltana uuden budjetin joukkoliikenteelle.",
        "Isoäitini leipoo joka sunnuntai kakun koko perheelle.",
        "Koulun jälkeen lapset leikkivät mielellään puistossa, kun sää on kaunis.",
    ),
    "fr": (
        "Le conseil municipal a approuvé mardi soir un nouveau budget pour les transports.",
        "Ma grand-mère prépare un gâteau pour toute la famille chaque dimanche.",
        "Après l'école, les enfants aiment jouer au parc quand il fait beau.",
    ),
    "ga": (
        "D'fhaomh an chomhairle cathrach buiséad nua don iompar poiblí tráthnóna Dé Máirt.",
        "Déanann mo sheanmháthair cáca don teaghlach ar fad gach Domhnach.",
        "Is maith leis na páistí a bheith ag súgradh sa pháirc tar éis na scoile.",
    ),
    "gl": (
        "O concello aprobou o martes pola noite un novo orzamento para o transporte público.",
        "A miña avoa fai unha torta para toda a familia cada domingo.",
        "Os nenos xogan no parque despois da escola cando vai bo tempo.",
    ),
    "he": (
        "מועצת העיר אישרה ביום שלישי בערב תקציב חדש לתחבורה הציבורית.",
        "סבתא שלי אופה עוגה לכל המשפחה בכל יום שישי.",
        "הילדים אוהבים לשחק בפארק אחרי בית הספר כשמזג האוויר נעים.",
    ),
    "hi": (
        "नगर परिषद ने मंगलवार शाम सार्वजनिक परिवहन के लिए नया बजट मंज़ूर किया।",
        "मेरी दादी हर रविवार पूरे परिवार के लिए खीर बनाती हैं।",
        "स्कूल के बाद बच्चे पार्क में खेलना पसंद करते हैं।",
    ),
    "hr": (
        "Gradsko vijeće u utorak je navečer odobrilo novi proračun za javni prijevoz.",
        "Moja baka svake nedjelje peče kolač za cijelu obitelj i susjede.",
        "Djeca se poslije škole vole igrati u parku kad je lijepo vrijeme.",
    ),
    "hu": (
        "A városi tanács kedd este új költségvetést fogadott el a tömegközlekedésre.",
        "A nagymamám minden vasárnap süteményt süt az egész családnak.",
        "Iskola után a gyerekek szívesen játszanak a parkban, ha szép az idő.",
    ),
    "hy": (
        "Քաղաքային խորհուրդը երեքշաբթի երեկոյան հաստատեց հասարակական տրանսպորտի նոր բյուջեն։",
        "Տատիկս ամեն կիրակի ամբողջ ընտանիքի համար թխվածք է պատրաստում։",
        "Երեխաները դպրոցից հետո սիրում են խաղալ այգում։",
    ),
    "id": (
        "Dewan kota menyetujui anggaran baru untuk transportasi umum pada Selasa malam.",
        "Nenek saya membuat kue untuk seluruh keluarga setiap hari Minggu.",
        "Anak-anak suka bermain di taman sepulang sekolah kalau cuacanya cerah.",
    ),
    "is": (
        "Borgarstjórnin samþykkti nýja fjárhagsáætlun fyrir almenningssamgöngur á þriðjudagskvöld.",
        "Amma mín bakar köku handa allri fjölskyldunni á hverjum sunnudegi.",
        "Börnin leika sér í garðinum eftir skóla þegar veðrið er gott.",
    ),
    "it": (
        "Il consiglio comunale ha approvato martedì sera un nuovo bilancio per i trasporti.",
        "Mia nonna prepara una torta per tutta la famiglia ogni domenica.",
        "Dopo la scuola i bambini amano giocare al parco quando fa bel tempo.",
    ),
    "ja": (
        "市議会は火曜日の夜、公共交通機関の新しい予算を承認しました。",
        "私の祖母は毎週日曜日に家族みんなのためにケーキを焼きます。",
        "天気がいい日は、子どもたちは放課後に公園で遊ぶのが好きです。",
    ),
    "ka": (
        "ქალაქის საბჭომ სამშაბათს საღამოს საზოგადოებრივი ტრანსპორტის ახალი ბიუჯეტი დაამტკიცა.",
        "ჩემი ბებია ყოველ კვირას მთელი ოჯახისთვის ნამცხვარს აცხობს.",
        "ბავშვებს სკოლის შემდეგ პარკში თამაში უყვართ.",
    ),
    "ko": (
        "시의회는 화요일 저녁 대중교통을 위한 새 예산을 승인했습니다.",
        "우리 할머니는 일요일마다 온 가족을 위해 떡을 만드십니다.",
        "아이들은 날씨가 좋으면 방과 후에 공원에서 노는 것을 좋아합니다.",
    ),
    "lt": (
        "Miesto taryba antradienio vakarą patvirtino naują viešojo transporto biudžetą.",
        "Mano močiutė kiekvieną sekmadienį kepa pyragą visai šeimai.",
        "Po pamokų vaikai mėgsta žaisti parke, kai būna gražus oras.",
    ),
    "lv": (
        "Pilsētas dome otrdienas vakarā apstiprināja jaunu sabiedriskā transporta budžetu.",
        "Mana vecmāmiņa katru svētdienu cep kūku visai ģimenei.",
        "Pēc skolas bērni labprāt spēlējas parkā, kad ir jauks laiks.",
    ),
    "mk": (
        "Градскиот совет во вторник навечер усвои нов буџет за јавниот превоз.",
        "Баба ми секоја недела прави пита за целото семејство.",
        "Децата сакаат да си играат во паркот после училиште кога времето е убаво.",
    ),
    "ms": (
        "Majlis bandaraya meluluskan belanjawan baharu untuk pengangkutan awam pada malam Selasa.",
        "Nenek saya membuat kuih untuk seluruh keluarga setiap hari Ahad.",
        "Kanak-kanak suka bermain di taman selepas waktu sekolah apabila cuaca baik.",
    ),
    "mt": (
        "Il-kunsill lokali approva baġit ġdid għat-trasport pubbliku nhar it-Tlieta filgħaxija.",
        "In-nanna tiegħi tagħmel kejk għall-familja kollha kull nhar ta' Ħadd.",
        "It-tfal iħobbu jilagħbu fil-ġnien wara l-iskola meta t-temp ikun sabiħ.",
    ),
    "nl": (
        "De gemeenteraad heeft dinsdagavond een nieuwe begroting voor het openbaar vervoer "
        "goedgekeurd.",
        "Mijn oma bakt elke zondag een taart voor de hele familie.",
        "Na school spelen de kinderen graag in het park als het mooi weer is.",
    ),
    "no": (
        "Bystyret vedtok tirsdag kveld et nytt budsjett for kollektivtransporten.",
        "Bestemoren min baker boller til hele familien hver søndag.",
        "Etter skolen liker barna å leke i parken når det er fint vær.",
    ),
    "pl": (
        "Rada miasta we wtorek wieczorem zatwierdziła nowy budżet na transport publiczny.",
        "Moja babcia w każdą niedzielę piecze ciasto dla całej rodziny.",
        "Po szkole dzieci lubią bawić się w parku, kiedy jest ładna pogoda.",
    ),
    "pt": (
        "A câmara municipal aprovou na terça-feira à noite um novo orçamento para os transportes.",
        "A minha avó faz um bolo para a família toda todos os domingos.",
        "Depois da escola, as crianças gostam de brincar no parque quando está bom tempo.",
    ),
    "ro": (
        "Consiliul local a aprobat marți seara un nou buget pentru transportul public.",
        "Bunica mea face în fiecare duminică o prăjitură pentru toată familia.",
        "După școală, copiii se joacă în parc când este vreme frumoasă.",
    ),
    "ru": (
        "Городской совет во вторник вечером утвердил новый бюджет для общественного транспорта.",
        "Моя бабушка каждое воскресенье печёт пироги для всей семьи.",
        "После школы дети любят играть в парке, когда на улице хорошая погода.",
    ),
    "sk": (
        "Mestské zastupiteľstvo v utorok večer schválilo nový rozpočet pre verejnú dopravu.",
        "Moja stará mama každú nedeľu pečie koláče pre celú rodinu.",
        "Deti sa po škole rady hrajú v parku, keď je pekné počasie.",
    ),
    "sl": (
        "Mestni svet je v torek zvečer sprejel nov proračun za javni promet.",
        "Moja babica vsako nedeljo speče potico za vso družino.",
        "Otroci se po šoli radi igrajo v parku, ko je lepo vreme.",
    ),
    "sq": (
        "Këshilli bashkiak miratoi të martën në mbrëmje një buxhet të ri për transportin publik.",
        "Gjyshja ime gatuan çdo të diel një ëmbëlsirë për gjithë familjen.",
        "Pas shkollës fëmijët pëlqejnë të luajnë në park kur koha është e mirë.",
    ),
    "sv": (
        "Kommunfullmäktige godkände i tisdags kväll en ny budget för kollektivtrafiken.",
        "Min mormor bakar bullar till hela familjen varje söndag.",
        "Efter skolan tycker barnen om att leka i parken när det är fint väder.",
    ),
    "tr": (
        "Belediye meclisi salı akşamı toplu taşıma için yeni bir bütçeyi onayladı.",
        "Büyükannem her pazar bütün aile için börek yapar.",
        "Okuldan sonra çocuklar hava güzel olduğunda parkta oynamayı sever.",
    ),
    "uk": (
        "Міська рада у вівторок увечері затвердила новий бюджет для громадського транспорту.",
        "Моя бабуся щонеділі пече пиріжки для всієї родини.",
        "Після школи діти люблять гратися в парку, коли надворі гарна погода.",
    ),
    "vi": (
        "Hội đồng thành phố đã thông qua ngân sách mới cho giao thông công cộng vào tối thứ Ba.",
        "Bà tôi nấu một nồi phở cho cả gia đình vào mỗi sáng Chủ nhật.",
        "Sau giờ học, bọn trẻ thích chơi trong công viên khi trời đẹp.",
    ),
    "zh": (
        "市议会星期二晚上批准了一项新的公共交通预算。",
        "我奶奶每个星期天都给全家人包饺子。",
        "天气好的时候，孩子们放学后喜欢在公园里玩。",
    ),
}
