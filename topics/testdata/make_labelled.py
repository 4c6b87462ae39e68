# Writes labelled.jsonl from the items below. The items are short news reports written for sitrep's
# tests (not copied from any outlet). Labels: regions = every region named or implied by a named
# place, group or person (Kurdistan Region places also count as iraq); topics = the security topics a
# reader would file the item under, none for sport, markets, weather and celebrity news.
# split: "dev" items were used for tuning, "test" items only for the reported figures. Stories never
# straddle the split. story = the event; items of one story are reports of that event.
import json, datetime
BASE = datetime.datetime(2026, 3, 2, 0, 0, tzinfo=datetime.timezone.utc)  # a Monday
items = []
BATCH = 1
def add(split, story, h, lang, source, title, text, regions, topics):
    items.append(dict(id=f"{story}-{sum(1 for i in items if i['story']==story)+1}", story=story, split=split, lang=lang,
        source=source, published=(BASE+datetime.timedelta(hours=h)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        title=title, text=text, regions=sorted(regions), topics=sorted(topics), batch=BATCH))

# ---------------- dev ----------------
S="dev"
add(S,"d01",9,"en","Rudaw","Turkish warplanes strike PKK positions in Duhok's Amedi district",
 "Turkish fighter jets bombed suspected PKK positions near villages in Amedi district of Duhok province on Monday, local officials said. Residents reported fires in orchards after the airstrikes.",
 ["iraq","kurdistan-region","turkey"],["armed-conflict"])
add(S,"d01",11,"en","Kurdistan24","Turkish airstrikes hit mountains near Amedi, no casualties reported",
 "Turkey's air force carried out several strikes on the mountains around Amedi in the Kurdistan Region on Monday, targeting the Kurdistan Workers' Party. The mayor said no civilians were hurt.",
 ["iraq","kurdistan-region","turkey"],["armed-conflict"])
add(S,"d01",13,"ar","Shafaq News","طائرات تركية تقصف مواقع لحزب العمال الكردستاني في العمادية بدهوك",
 "قصفت طائرات حربية تركية، يوم الاثنين، مواقع يشتبه بأنها لحزب العمال الكردستاني قرب قرى قضاء العمادية في محافظة دهوك بإقليم كوردستان، بحسب مسؤولين محليين.",
 ["iraq","kurdistan-region","turkey"],["armed-conflict"])
add(S,"d02",58,"en","Rudaw","Turkish drone strikes car near Sulaymaniyah airport",
 "A Turkish drone struck a car on the road near Sulaymaniyah International Airport on Wednesday evening, wounding two people, security officials in Slemani said. Ankara did not comment.",
 ["iraq","kurdistan-region","turkey"],["armed-conflict"])
add(S,"d02",60,"en","The New Region","Two wounded as drone hits vehicle outside Slemani airport",
 "Two people were injured on Wednesday when a drone believed to be Turkish hit a vehicle close to Sulaimani airport, according to the Asayish.",
 ["iraq","kurdistan-region","turkey"],["armed-conflict"])
add(S,"d03",30,"en","Reuters","Houthis fire missile at cargo ship in Red Sea",
 "Yemen's Houthi movement fired an anti-ship missile at a Liberian-flagged cargo ship in the Red Sea on Tuesday, the UKMTO maritime agency said. The crew was reported safe and the vessel continued to its next port.",
 ["red-sea","yemen"],["armed-conflict","maritime-security"])
add(S,"d03",31,"en","AP","Cargo ship targeted by Houthi missile off Hodeidah, crew safe",
 "A merchant vessel was hit by a missile about 50 nautical miles west of Hodeidah on Tuesday, British maritime authorities said. The Houthis claimed the attack.",
 ["united-kingdom","yemen"],["armed-conflict","maritime-security"])
add(S,"d03",33,"ar","Al Masirah","الحوثيون يعلنون استهداف سفينة شحن في البحر الأحمر بصاروخ",
 "أعلنت جماعة أنصار الله الحوثية، الثلاثاء، استهداف سفينة شحن في البحر الأحمر بصاروخ بحري قبالة الحديدة، مؤكدة استمرار عملياتها ضد الملاحة المرتبطة بإسرائيل.",
 ["israel","red-sea","yemen"],["armed-conflict","maritime-security"])
add(S,"d04",80,"en","CNN","US strikes Houthi radar sites in Hodeidah after ship attack",
 "The United States carried out airstrikes on Thursday on Houthi radar and launch sites near Hodeidah, US Central Command said, two days after the group targeted a cargo ship.",
 ["united-states","yemen"],["armed-conflict","maritime-security"])
add(S,"d04",82,"en","Al Jazeera","American jets pound Houthi targets in western Yemen",
 "US warplanes struck several Houthi targets around Hodeidah and Sanaa on Thursday. Houthi media said four people were killed.",
 ["united-states","yemen"],["armed-conflict"])
add(S,"d05",10,"en","Rudaw","Iraq and Jordan sign electricity interconnection agreement",
 "Iraq and Jordan signed an agreement in Baghdad on Monday to connect their power grids, with Jordan to supply 150 megawatts in the first phase, the Iraqi electricity ministry said.",
 ["iraq","jordan"],["diplomacy","energy"])
add(S,"d05",12,"en","Jordan Times","Jordan to export power to Iraq under new grid deal",
 "Jordan will begin exporting electricity to Iraq this summer under a grid interconnection deal signed in Baghdad on Monday by the two countries' energy ministers.",
 ["iraq","jordan"],["diplomacy","energy"])
add(S,"d05",14,"ar","Al Sumaria","العراق والأردن يوقعان اتفاقية الربط الكهربائي",
 "وقع العراق والأردن، الاثنين، في بغداد اتفاقية للربط الكهربائي بين البلدين، يتم بموجبها تزويد العراق بـ150 ميغاواط في المرحلة الأولى، وفق وزارة الكهرباء.",
 ["iraq","jordan"],["diplomacy","energy"])
add(S,"d06",34,"en","Shafaq News","Protesters block roads in Basra over power cuts",
 "Hundreds of protesters blocked main roads in Basra on Tuesday, burning tyres to protest prolonged power outages and water shortages as temperatures passed 50 degrees.",
 ["iraq"],["energy","protests"])
add(S,"d06",36,"en","AFP","Anger in Iraq's Basra as blackouts spark street protests",
 "Demonstrators took to the streets of Basra on Tuesday, demanding reliable electricity. Security forces fired tear gas to disperse the crowd near the provincial council.",
 ["iraq"],["energy","protests"])
add(S,"d06",37,"ar","Al Sumaria","متظاهرون يقطعون طرقا في البصرة احتجاجا على انقطاع الكهرباء",
 "قطع مئات المتظاهرين، الثلاثاء، طرقا رئيسية في البصرة احتجاجا على انقطاع التيار الكهربائي وشح المياه، فيما استخدمت القوات الأمنية الغاز المسيل للدموع لتفريقهم.",
 ["iraq"],["energy","protests"])
add(S,"d07",20,"en","Kurdistan24","ISIS attack kills four Iraqi soldiers in Kirkuk",
 "Four Iraqi soldiers were killed and three wounded when Islamic State militants attacked an army post in the Wadi al-Shay area south of Kirkuk late on Monday, a security source said.",
 ["iraq"],["armed-conflict","terrorism"])
add(S,"d07",22,"en","The National","Four soldiers killed in Islamic State ambush south of Kirkuk",
 "Militants from the Islamic State group ambushed an Iraqi army checkpoint in Kirkuk province on Monday night, killing four soldiers, officials said.",
 ["iraq"],["armed-conflict","terrorism"])
add(S,"d07",23,"ar","Shafaq News","مقتل أربعة جنود بهجوم لداعش جنوبي كركوك",
 "أفاد مصدر أمني بمقتل أربعة جنود من الجيش العراقي وإصابة ثلاثة آخرين بهجوم شنه عناصر من تنظيم داعش على نقطة عسكرية جنوبي كركوك ليل الاثنين.",
 ["iraq"],["armed-conflict","terrorism"])
add(S,"d08",104,"en","INA","Iraqi forces arrest ISIS cell planning attacks in Anbar",
 "Iraqi counter-terrorism forces arrested five members of an ISIS cell in Ramadi on Friday who were planning bombings in Anbar province, the Security Media Cell said.",
 ["iraq"],["terrorism"])
add(S,"d09",40,"en","Iran International","Iran executes young man arrested during 2022 protests",
 "Iranian authorities executed a 24-year-old man on Tuesday who had been arrested during the nationwide protests in 2022, rights groups said, drawing condemnation from the EU.",
 ["european-union","iran"],["politics","protests"])
add(S,"d09",44,"en","AFP","Rights groups condemn Iran execution of protester",
 "Amnesty International condemned the hanging in Iran of a man detained during the 2022 protest movement, saying his trial was unfair.",
 ["iran"],["politics","protests"])
add(S,"d10",32,"en","Naharnet","Israeli strike kills two in south Lebanon",
 "An Israeli drone strike on a car in the town of Bint Jbeil in south Lebanon killed two people on Tuesday, Lebanon's health ministry said.",
 ["israel","lebanon"],["armed-conflict"])
add(S,"d10",33,"en","Times of Israel","IDF says it killed Hezbollah operatives in Bint Jbeil strike",
 "The Israeli military said it killed two Hezbollah operatives in a drone strike in southern Lebanon's Bint Jbeil on Tuesday.",
 ["israel","lebanon"],["armed-conflict"])
add(S,"d10",35,"ar","Al Mayadeen","شهيدان بغارة إسرائيلية على سيارة في بنت جبيل جنوبي لبنان",
 "استشهد شخصان، الثلاثاء، جراء غارة نفذتها مسيرة إسرائيلية على سيارة في مدينة بنت جبيل جنوبي لبنان، وفق وزارة الصحة اللبنانية.",
 ["israel","lebanon"],["armed-conflict"])
add(S,"d11",56,"en","North Press","SDF and Damascus hold new round of integration talks",
 "Delegations of the Syrian Democratic Forces and the Syrian government met in Damascus on Wednesday to discuss integrating the SDF into the national army, officials said.",
 ["syria"],["diplomacy","politics"])
add(S,"d11",58,"en","Enab Baladi","Damascus, SDF negotiators meet on merging forces",
 "Negotiators from Damascus and the Kurdish-led SDF held talks on Wednesday on the integration of the group's institutions in northeast Syria into the state.",
 ["syria"],["diplomacy","politics"])
add(S,"d12",78,"en","Iran International","Hackers claim cyberattack on Iran's Bank Sepah",
 "A hacking group claimed on Thursday a cyberattack that disrupted online services of Iran's state-owned Bank Sepah, saying it had wiped customer data.",
 ["iran"],["cyber"])
add(S,"d12",80,"en","Reuters","Iranian bank hit by cyberattack, services disrupted",
 "Customers of Bank Sepah in Iran could not access their accounts on Thursday after what officials described as a cyber attack by foreign hackers.",
 ["iran"],["cyber"])
add(S,"d13",8,"en","UN News","Aid trucks enter Gaza through Kerem Shalom as famine warnings grow",
 "Dozens of aid trucks carrying food and medical supplies entered Gaza through the Kerem Shalom crossing on Monday, the UN said, warning that famine conditions persist in the north of the Strip.",
 ["israel","palestine"],["humanitarian"])
add(S,"d13",10,"ar","Al Jazeera","دخول شاحنات مساعدات إلى غزة عبر معبر كرم أبو سالم",
 "دخلت عشرات الشاحنات المحملة بالمساعدات الغذائية والطبية إلى قطاع غزة عبر معبر كرم أبو سالم، الاثنين، وسط تحذيرات أممية من المجاعة.",
 ["israel","palestine"],["humanitarian"])
add(S,"d14",28,"en","Rudaw","Iraqi parliament sets date for vote on election law amendments",
 "Iraq's parliament will vote next week on amendments to the election law, the speaker's office said on Tuesday, as political parties remain divided over the number of constituencies.",
 ["iraq"],["politics"])
add(S,"d14",30,"ar","Al Sumaria","البرلمان العراقي يحدد موعد التصويت على تعديل قانون الانتخابات",
 "حدد مجلس النواب العراقي، الثلاثاء، موعدا للتصويت على تعديل قانون الانتخابات الأسبوع المقبل، وسط خلافات بين الكتل السياسية حول عدد الدوائر.",
 ["iraq"],["politics"])
add(S,"d15",50,"en","Rudaw","Kurdistan oil exports through Ceyhan resume",
 "Oil exports from the Kurdistan Region through the Iraq-Turkey pipeline to the port of Ceyhan resumed on Wednesday after a two-year halt, the oil ministry in Baghdad said.",
 ["iraq","kurdistan-region","turkey"],["energy"])
add(S,"d15",52,"en","Kurdistan24","Kurdish crude flows to Turkey again after Baghdad-Erbil deal",
 "Crude oil from the Kurdistan Region began flowing through the pipeline to Turkey's Ceyhan port on Wednesday under an agreement between Baghdad and Erbil.",
 ["iraq","kurdistan-region","turkey"],["energy"])
add(S,"d16",46,"en","Dawn","Pakistan, Afghanistan forces clash at Torkham border crossing",
 "Pakistani and Afghan border forces exchanged fire at the Torkham crossing on Tuesday, wounding three guards, and trade through the border was suspended.",
 ["afghanistan","pakistan"],["armed-conflict","border-security"])
add(S,"d16",48,"en","Tolo News","Torkham closed after clashes between Afghan and Pakistani border guards",
 "The Torkham border crossing was closed on Tuesday after clashes between Taliban border forces and Pakistani troops over construction of a new post.",
 ["afghanistan","pakistan"],["armed-conflict","border-security"])
add(S,"d17",6,"en","Kyiv Independent","Russian drones hit energy facilities in Kharkiv",
 "Russia launched dozens of drones at Ukraine overnight, damaging energy infrastructure in Kharkiv and leaving thousands without power, officials said on Monday.",
 ["russia","ukraine"],["armed-conflict","energy"])
add(S,"d18",70,"en","Al Jazeera","Qatar hosts talks on Gaza ceasefire",
 "Qatari and Egyptian mediators hosted a new round of negotiations in Doha on Thursday aimed at extending the Gaza ceasefire, diplomats said.",
 ["egypt","palestine","qatar"],["armed-conflict","diplomacy"])
add(S,"d19",19,"en","Kurdistan24","Iraq beat Saudi Arabia in World Cup qualifier",
 "Iraq's national football team beat Saudi Arabia 2-1 in a World Cup qualifier in Basra on Monday, with the winning goal scored in stoppage time before 60,000 fans.",
 ["iraq","saudi-arabia"],[])
add(S,"d20",55,"en","Arab News","Saudi stocks close higher as banks rally",
 "Saudi Arabia's main stock index rose 1.2 percent on Wednesday, led by banking shares, while Qatar's bourse edged down in thin trading.",
 ["qatar","saudi-arabia"],[])
add(S,"d21",75,"en","Kuwait Times","Kuwait swelters as temperatures hit 52 degrees",
 "Kuwait recorded a temperature of 52 degrees Celsius on Thursday, and forecasters expect the heatwave to continue through the weekend with dusty winds.",
 ["kuwait"],[])
add(S,"d22",90,"en","Lebanon24","Lebanese singer announces world tour after new album",
 "Lebanese pop star Nancy Ajram announced a world tour on Friday to promote her new album, with concerts planned in Dubai, Paris and Montreal.",
 ["france","lebanon","uae"],[])
add(S,"d19",21,"ar","Kooora","المنتخب العراقي يفوز على نظيره السعودي في تصفيات كأس العالم",
 "فاز المنتخب العراقي لكرة القدم على نظيره السعودي بهدفين مقابل هدف في المباراة التي جرت على ملعب البصرة الدولي ضمن تصفيات كأس العالم.",
 ["iraq","saudi-arabia"],[])
add(S,"d24",66,"en","Rudaw","Iraqi border guards seize smuggled weapons near Iran border",
 "Iraqi border guards seized a shipment of smuggled weapons and drugs near the Iranian border in Maysan province on Wednesday and arrested three smugglers.",
 ["iran","iraq"],["border-security"])
add(S,"d25",100,"en","Al-Monitor","Oman mediates US-Iran nuclear talks in Muscat",
 "Omani officials hosted indirect talks between US and Iranian negotiators in Muscat on Friday on Iran's nuclear programme and sanctions relief.",
 ["iran","oman","united-states"],["diplomacy"])
add(S,"d25",102,"ar","Al Mayadeen","جولة جديدة من المحادثات الإيرانية الأمريكية غير المباشرة في مسقط",
 "استضافت سلطنة عمان، الجمعة، جولة جديدة من المحادثات غير المباشرة بين إيران والولايات المتحدة في مسقط حول البرنامج النووي ورفع العقوبات.",
 ["iran","oman","united-states"],["diplomacy"])

# ---------------- test (held back) ----------------
S="test"
add(S,"t01",52,"en","Shafaq News","Explosion at PMF weapons depot in Babil",
 "A large explosion hit a weapons depot belonging to the Popular Mobilization Forces in northern Babil province on Wednesday, killing one fighter and wounding five, a security source said.",
 ["iraq"],["armed-conflict"])
add(S,"t01",53,"en","The New Arab","Blast rocks Hashd base south of Baghdad",
 "An explosion ripped through an ammunition store of the Hashd al-Shaabi at a base in Babil, south of Baghdad, on Wednesday. The cause was not immediately known.",
 ["iraq"],["armed-conflict"])
add(S,"t01",55,"ar","Baghdad Today","انفجار في مخزن أسلحة للحشد الشعبي في بابل",
 "هز انفجار كبير، الأربعاء، مخزنا للأسلحة تابعا للحشد الشعبي شمالي محافظة بابل، ما أسفر عن مقتل مقاتل وإصابة خمسة آخرين.",
 ["iraq"],["armed-conflict"])
add(S,"t02",124,"en","Rudaw","Drone attack hits Khor Mor gas field, halting production",
 "A drone attack struck the Khor Mor gas field in Sulaymaniyah province on Saturday, setting a storage tank on fire and halting gas supplies to power stations across the Kurdistan Region.",
 ["iraq","kurdistan-region"],["armed-conflict","energy"])
add(S,"t02",126,"en","Kurdistan24","Power cuts across Kurdistan Region after drone strike on gas field",
 "Electricity output in the Kurdistan Region fell sharply on Saturday after an armed drone hit the Khor Mor field in Chamchamal, the KRG electricity ministry said.",
 ["iraq","kurdistan-region"],["armed-conflict","energy"])
add(S,"t02",127,"ar","Shafaq News","هجوم بطائرة مسيرة يستهدف حقل كورمور للغاز في السليمانية",
 "استهدف هجوم بطائرة مسيرة، السبت، حقل كورمور للغاز في قضاء جمجمال بمحافظة السليمانية، ما أدى إلى اندلاع حريق وتوقف إمدادات الغاز لمحطات الكهرباء في إقليم كوردستان.",
 ["iraq","kurdistan-region"],["armed-conflict","energy"])
add(S,"t03",9,"en","Rudaw","Erdogan in Baghdad to push Development Road project",
 "Turkish President Recep Tayyip Erdogan arrived in Baghdad on Monday for talks with Prime Minister Mohammed Shia al-Sudani on water, security and the Development Road trade corridor.",
 ["iraq","turkey"],["diplomacy"])
add(S,"t03",10,"en","Daily Sabah","Türkiye, Iraq sign 20 agreements during Erdoğan visit",
 "Türkiye and Iraq signed 20 memorandums of understanding on Monday during President Erdoğan's visit to Baghdad, covering energy, water management and counterterrorism cooperation.",
 ["iraq","turkey"],["diplomacy"])
add(S,"t03",12,"ar","Al Sumaria","أردوغان يصل بغداد في زيارة رسمية ويلتقي السوداني",
 "وصل الرئيس التركي رجب طيب أردوغان، الاثنين، إلى بغداد في زيارة رسمية يلتقي خلالها رئيس الوزراء محمد شياع السوداني لبحث ملفات المياه والأمن وطريق التنمية.",
 ["iraq","turkey"],["diplomacy"])
add(S,"t04",29,"en","Reuters","Iran seizes foreign tanker in Strait of Hormuz",
 "Iran's Revolutionary Guards seized a foreign oil tanker in the Strait of Hormuz on Tuesday for allegedly smuggling fuel, state media reported.",
 ["gulf","iran"],["maritime-security"])
add(S,"t04",30,"en","AP","IRGC navy boards tanker near Hormuz, alleging fuel smuggling",
 "Boats of the IRGC navy boarded a tanker near the Strait of Hormuz on Tuesday, accusing it of carrying smuggled fuel, Iranian media said. The crew of 12 was detained.",
 ["gulf","iran"],["maritime-security"])
add(S,"t04",32,"ar","Al Alam","الحرس الثوري يحتجز ناقلة نفط أجنبية في مضيق هرمز",
 "احتجزت القوة البحرية للحرس الثوري الإيراني، الثلاثاء، ناقلة نفط أجنبية في مضيق هرمز بتهمة تهريب الوقود، وفق وسائل إعلام إيرانية.",
 ["gulf","iran"],["maritime-security"])
add(S,"t05",78,"en","L'Orient Today","Lebanese cabinet approves plan to disarm Hezbollah",
 "Lebanon's cabinet on Thursday approved an army plan to bring all weapons under state control, including Hezbollah's arsenal, by the end of the year.",
 ["lebanon"],["armed-conflict","politics"])
add(S,"t05",80,"en","Naharnet","Hezbollah rejects cabinet decision on weapons",
 "Hezbollah said on Thursday it would treat the Lebanese government's decision to disarm the group as if it did not exist, raising fears of political crisis in Beirut.",
 ["lebanon"],["armed-conflict","politics"])
add(S,"t06",150,"en","Enab Baladi","Clashes erupt in Sweida between Druze fighters and tribal gunmen",
 "Heavy clashes broke out in Syria's Sweida province on Sunday between Druze armed groups and Bedouin tribal fighters, killing at least 30 people, a monitor said.",
 ["syria"],["armed-conflict"])
add(S,"t06",152,"en","AFP","Dozens killed in Syria's Sweida fighting",
 "Fighting between Druze militias and Bedouin tribes in southern Syria's Sweida killed dozens on Sunday, prompting government forces to deploy.",
 ["syria"],["armed-conflict"])
add(S,"t07",10,"en","Rudaw","Teachers protest in Sulaymaniyah over unpaid salaries",
 "Thousands of teachers and public employees protested in Sulaymaniyah on Monday over months of delayed salaries, marching to the governorate building.",
 ["iraq","kurdistan-region"],["protests"])
add(S,"t07",11,"en","The New Region","Slemani civil servants rally demanding salaries",
 "Civil servants rallied in Slemani on Monday demanding the Kurdistan Regional Government pay their overdue wages, and some protesters were detained.",
 ["iraq","kurdistan-region"],["protests"])
add(S,"t07",12,"ar","Shafaq News","تظاهرة للمعلمين في السليمانية للمطالبة بالرواتب",
 "تظاهر آلاف المعلمين والموظفين، الاثنين، في السليمانية للمطالبة بصرف رواتبهم المتأخرة منذ أشهر.",
 ["iraq","kurdistan-region"],["protests"])
add(S,"t08",82,"en","Rudaw","Security forces disperse students' protest in Sulaymaniyah",
 "Security forces used tear gas on Thursday to disperse university students who protested in Sulaymaniyah against the suspension of their monthly grants.",
 ["iraq","kurdistan-region"],["protests"])
add(S,"t09",34,"en","Kurdistan24","Remains of Yazidi genocide victims exhumed from mass grave in Sinjar",
 "Iraqi teams exhumed the remains of dozens of Yazidis killed by ISIS in 2014 from a mass grave near Sinjar on Tuesday, the Martyrs Foundation said.",
 ["iraq"],["humanitarian","terrorism"])
add(S,"t09",36,"en","Rudaw","Mass grave of Yazidi victims opened in Shingal",
 "A mass grave containing remains of Yazidi victims of the Islamic State was opened in Shingal on Tuesday, with families present as forensic teams worked.",
 ["iraq"],["humanitarian","terrorism"])
add(S,"t10",104,"en","Dawn","Suicide bombing at Peshawar mosque kills 17",
 "A suicide bomber blew himself up inside a mosque in Peshawar during Friday prayers, killing 17 people and wounding more than 40, police said.",
 ["pakistan"],["terrorism"])
add(S,"t10",106,"en","Reuters","Pakistani Taliban deny role in Peshawar mosque attack",
 "The Pakistani Taliban (TTP) denied involvement in Friday's suicide attack on a mosque in Peshawar that killed 17 worshippers.",
 ["pakistan"],["terrorism"])
add(S,"t11",56,"en","Kuwait Times","Ransomware attack disrupts Kuwait ministry systems",
 "A ransomware attack disrupted computer systems at Kuwait's finance ministry on Wednesday, and officials said some online services were taken down as a precaution.",
 ["kuwait"],["cyber"])
add(S,"t12",54,"en","Arab News","Saudi and Iranian foreign ministers meet in Muscat",
 "Saudi Foreign Minister Prince Faisal bin Farhan met his Iranian counterpart Abbas Araghchi in Muscat on Wednesday in talks hosted by Oman on regional de-escalation.",
 ["iran","oman","saudi-arabia"],["diplomacy"])
add(S,"t12",57,"en","Tehran Times","Araghchi, Saudi counterpart discuss ties in Oman",
 "Iran's foreign minister Abbas Araghchi held talks with his Saudi counterpart in the Omani capital on Wednesday, discussing bilateral relations and the situation in Yemen.",
 ["iran","oman","saudi-arabia","yemen"],["diplomacy"])
add(S,"t13",30,"en","Ahram Online","Egypt reopens Rafah crossing for aid and wounded",
 "Egypt reopened the Rafah crossing on Tuesday to allow aid trucks into Gaza and the evacuation of wounded Palestinians for treatment in Egyptian hospitals.",
 ["egypt","palestine"],["humanitarian"])
add(S,"t13",31,"ar","Al Ahram","مصر تعيد فتح معبر رفح لإدخال المساعدات وإجلاء الجرحى",
 "أعادت مصر، الثلاثاء، فتح معبر رفح لإدخال شاحنات المساعدات إلى قطاع غزة وإجلاء الجرحى الفلسطينيين لتلقي العلاج في المستشفيات المصرية.",
 ["egypt","palestine"],["humanitarian"])
add(S,"t14",80,"en","Reuters","US sanctions Iraqi bank over Iran links",
 "The US Treasury on Thursday imposed sanctions on an Iraqi private bank it accused of helping Iran's Revolutionary Guards evade sanctions.",
 ["iran","iraq","united-states"],["diplomacy"])
add(S,"t14",83,"en","Shafaq News","Iraq's central bank responds to US sanctions on private lender",
 "Iraq's central bank said on Thursday it would review the status of a private bank sanctioned by Washington for alleged dealings with the IRGC.",
 ["iran","iraq","united-states"],["diplomacy"])
add(S,"t15",20,"en","Rudaw","Iraq thrash Iran 3-0 in Asian Cup qualifier",
 "Iraq beat Iran 3-0 in an Asian Cup qualifier in Erbil on Monday, with two goals from the striker in front of a sold-out stadium.",
 ["iran","iraq","kurdistan-region"],[])
add(S,"t16",70,"en","Gulf News","Dubai gold prices slip as dollar firms",
 "Gold prices in Dubai fell on Thursday as the dollar strengthened, with jewellers reporting slower demand ahead of the holiday season.",
 ["uae"],[])
add(S,"t17",44,"en","Kurdistan24","Snow blankets Erbil mountains, schools closed",
 "Heavy snowfall covered the mountains of Erbil province on Tuesday, and the education ministry closed schools in Soran and Choman as temperatures fell below zero.",
 ["iraq","kurdistan-region"],[])
add(S,"t18",62,"en","Daily Sabah","Turkish actor wins award at Berlin film festival",
 "Turkish actor Haluk Bilginer won the best actor award at the Berlin film festival on Wednesday for his role in a family drama.",
 ["germany","turkey"],[])
add(S,"t19",38,"en","Rudaw","Iraqi Kurdistan and Iran discuss reopening Bashmakh crossing",
 "Officials from the Kurdistan Region and Iran met on Tuesday to discuss reopening the Bashmakh border crossing, closed since a dispute over customs fees.",
 ["iran","iraq","kurdistan-region"],["border-security","diplomacy"])
add(S,"t20",90,"ar","Al Sumaria","مقتل ثلاثة من عناصر داعش بضربة جوية في وادي حوران بالأنبار",
 "أعلنت خلية الإعلام الأمني، الجمعة، مقتل ثلاثة من عناصر تنظيم داعش بضربة جوية نفذتها طائرات القوة الجوية العراقية في وادي حوران غربي الأنبار.",
 ["iraq"],["armed-conflict","terrorism"])
add(S,"t20",91,"en","INA","Iraqi airstrike kills three ISIS members in Anbar desert",
 "Iraqi air force jets killed three Islamic State militants in an airstrike on a hideout in the Wadi Horan valley in western Anbar on Friday, the Security Media Cell said.",
 ["iraq"],["armed-conflict","terrorism"])


# ---------------- harder cases: follow-ups, same place different events, same day different places ----
S="dev"
add(S,"d30",8,"en","Rudaw","Car bomb kills five in Kirkuk market",
 "A car bomb exploded in a crowded market in central Kirkuk on Monday morning, killing five people and wounding 20, police said. No group claimed the bombing.",
 ["iraq"],["terrorism"])
add(S,"d30",10,"en","AFP","Deadly car bombing hits Kirkuk as shoppers gather",
 "At least five people died when a car packed with explosives blew up in a Kirkuk market on Monday, a health official said.",
 ["iraq"],["terrorism"])
add(S,"d30",30,"en","Kurdistan24","Kirkuk market bombing death toll rises to nine",
 "The death toll from Monday's car bomb in a Kirkuk market rose to nine on Tuesday after four of the wounded died in hospital, health officials said.",
 ["iraq"],["terrorism"])
add(S,"d30",12,"ar","Shafaq News","مقتل خمسة أشخاص بانفجار سيارة مفخخة في سوق بكركوك",
 "قتل خمسة أشخاص وأصيب عشرون آخرون، صباح الاثنين، بانفجار سيارة مفخخة في سوق مزدحم وسط كركوك، بحسب مصدر في الشرطة.",
 ["iraq"],["terrorism"])
add(S,"d31",100,"en","Rudaw","Kirkuk governor meets tribal leaders on security plan",
 "Kirkuk's governor met Arab, Kurdish and Turkmen tribal leaders on Friday to discuss a new security plan for the province's markets and checkpoints.",
 ["iraq"],["politics"])
add(S,"d32",9,"en","Kurdistan24","Turkish drone strike kills two in Duhok's Batifa",
 "A Turkish drone struck a vehicle near Batifa in Duhok province on Monday, killing two suspected PKK members, local officials said.",
 ["iraq","kurdistan-region","turkey"],["armed-conflict"])
add(S,"d33",9,"en","Rudaw","Drone strike on car in Sulaymaniyah's Penjwen injures one",
 "An unidentified drone hit a car near Penjwen, close to the Iranian border in Sulaymaniyah province, on Monday, wounding the driver, the Asayish said.",
 ["iran","iraq","kurdistan-region"],["armed-conflict"])
add(S,"d34",40,"en","Reuters","Israel and Lebanon hold talks on border demarcation",
 "Israeli and Lebanese officials met under UN auspices in Naqoura on Tuesday for talks on demarcating their land border, a UN spokesperson said.",
 ["israel","lebanon"],["border-security","diplomacy"])
add(S,"d34",43,"ar","Al Akhbar","اجتماع لبناني إسرائيلي في الناقورة برعاية أممية لبحث ترسيم الحدود",
 "عقد مسؤولون لبنانيون وإسرائيليون، الثلاثاء، اجتماعا في الناقورة برعاية الأمم المتحدة لبحث ترسيم الحدود البرية بين البلدين.",
 ["israel","lebanon"],["border-security","diplomacy"])
add(S,"d35",44,"en","Naharnet","Israeli strike hits Hezbollah site in Bekaa",
 "Israeli jets struck what the army said was a Hezbollah weapons site in the Bekaa valley on Tuesday evening, Lebanese state media reported.",
 ["israel","lebanon"],["armed-conflict"])

S="test"
add(S,"t30",58,"en","The National","Gunmen kill three police officers at checkpoint in Diyala",
 "Gunmen attacked a police checkpoint near Muqdadiya in Diyala province on Wednesday night, killing three officers, security sources said. Officials blamed Islamic State remnants.",
 ["iraq"],["armed-conflict","terrorism"])
add(S,"t30",60,"en","Rudaw","Three policemen killed in attack near Muqdadiya",
 "Three Iraqi policemen were killed when militants opened fire on their checkpoint outside Muqdadiya late on Wednesday, the Diyala police command said.",
 ["iraq"],["armed-conflict","terrorism"])
add(S,"t30",61,"ar","Baghdad Today","مقتل ثلاثة من الشرطة بهجوم على سيطرة قرب المقدادية في ديالى",
 "قتل ثلاثة من منتسبي الشرطة، ليل الأربعاء، بهجوم مسلح استهدف سيطرة أمنية قرب قضاء المقدادية في محافظة ديالى، وفق مصدر أمني.",
 ["iraq"],["armed-conflict","terrorism"])
add(S,"t30",80,"en","Shafaq News","Security operation launched in Diyala after checkpoint attack",
 "Iraqi forces launched a security operation in orchards around Muqdadiya on Thursday to hunt the gunmen who killed three policemen at a checkpoint on Wednesday.",
 ["iraq"],["armed-conflict","terrorism"])
add(S,"t31",130,"en","Rudaw","Diyala farmers protest water shortage",
 "Farmers in Diyala's Muqdadiya district blocked a main road on Saturday to protest water shortages that have dried up their orchards.",
 ["iraq"],["protests"])
add(S,"t32",58,"en","Kurdistan24","Turkish airstrike hits PKK in Zakho countryside",
 "Turkish warplanes bombed suspected PKK hideouts in the mountains north of Zakho on Wednesday, local officials said, with no casualties reported.",
 ["iraq","kurdistan-region","turkey"],["armed-conflict"])
add(S,"t33",59,"en","Rudaw","Iranian artillery shells border villages in Sidakan",
 "Iranian artillery shelled border villages in the Sidakan area on Wednesday, targeting what Tehran called bases of Kurdish opposition groups, the mayor said.",
 ["iran","iraq","kurdistan-region"],["armed-conflict","border-security"])
add(S,"t33",61,"ar","Shafaq News","قصف مدفعي إيراني يطال قرى حدودية في سيدكان",
 "طال قصف مدفعي إيراني، الأربعاء، قرى حدودية في ناحية سيدكان بإقليم كوردستان، استهدف ما تقول طهران إنها مقرات لجماعات كردية معارضة.",
 ["iran","iraq","kurdistan-region"],["armed-conflict","border-security"])
add(S,"t34",100,"en","Al Jazeera","Houthis say they shot down US drone over Marib",
 "Yemen's Houthis said on Friday they shot down an American MQ-9 Reaper drone over Marib province with a surface-to-air missile.",
 ["united-states","yemen"],["armed-conflict"])
add(S,"t34",102,"en","CNN","US official confirms loss of MQ-9 drone over Yemen",
 "A US defense official confirmed on Friday that an MQ-9 Reaper drone went down over Yemen's Marib after the Houthis claimed to have shot it down.",
 ["united-states","yemen"],["armed-conflict"])
add(S,"t35",102,"en","Reuters","Saudi air defences intercept drone over Jizan",
 "Saudi air defences intercepted a drone launched towards the southern city of Jizan on Friday, the Saudi-led coalition said, blaming the Houthis.",
 ["saudi-arabia","yemen"],["armed-conflict"])
add(S,"t36",34,"en","AP","Gaza health ministry says Israeli strike kills 12 in Khan Younis",
 "An Israeli airstrike on a house in Khan Younis killed 12 people including five children on Tuesday, Gaza's health ministry said.",
 ["israel","palestine"],["armed-conflict"])
add(S,"t36",35,"ar","Al Jazeera","استشهاد 12 فلسطينيا بغارة إسرائيلية على منزل في خان يونس",
 "استشهد 12 فلسطينيا بينهم خمسة أطفال، الثلاثاء، في غارة إسرائيلية استهدفت منزلا في مدينة خان يونس جنوبي قطاع غزة، وفق وزارة الصحة.",
 ["israel","palestine"],["armed-conflict"])
add(S,"t37",36,"en","Times of Israel","Rocket fired from Gaza lands near Sderot",
 "A rocket fired from the Gaza Strip landed in an open area near Sderot on Tuesday, the Israeli military said, causing no injuries.",
 ["israel","palestine"],["armed-conflict"])


# ---------------- second batch (written after the first round of tuning) ----------------
BATCH = 2
# test2: written and frozen before further tuning; only aggregate figures are looked at.
S="test"
add(S,"t40",14,"en","Rudaw","Iraq reinforces Syrian border near al-Qaim",
 "Iraq's army and border guards sent reinforcements to the border with Syria near al-Qaim on Monday, the Joint Operations Command said, citing fears of infiltration by militants.",
 ["iraq","syria"],["border-security"])
add(S,"t40",16,"en","The National","Iraqi troops deploy along Syria frontier amid infiltration fears",
 "Iraqi troops and tanks deployed along the frontier with Syria on Monday, with new watchtowers and a trench to stop infiltration, officials said.",
 ["iraq","syria"],["border-security"])
add(S,"t40",17,"ar","Al Sumaria","تعزيزات عسكرية عراقية إلى الحدود السورية قرب القائم",
 "أرسلت قيادة العمليات المشتركة، الاثنين، تعزيزات عسكرية من الجيش وحرس الحدود إلى الشريط الحدودي مع سوريا قرب قضاء القائم لمنع أي عمليات تسلل.",
 ["iraq","syria"],["border-security"])
add(S,"t41",88,"en","Iran International","Militants kill five Iranian border guards in Sistan-Baluchestan",
 "Five Iranian border guards were killed on Thursday when militants attacked their post near Saravan close to the Pakistan border, state media said.",
 ["iran","pakistan"],["armed-conflict","border-security","terrorism"])
add(S,"t41",90,"en","Dawn","Iran says border guards killed in attack near Pakistan frontier",
 "Iran said militants who killed five of its border guards near Saravan had crossed from Pakistan, and urged Islamabad to act.",
 ["iran","pakistan"],["armed-conflict","border-security","terrorism"])
add(S,"t42",60,"en","Kuwait Times","Kuwait emir dissolves parliament, suspends some constitution articles",
 "Kuwait's emir dissolved the National Assembly on Wednesday and suspended some articles of the constitution for up to four years, state media reported.",
 ["kuwait"],["politics"])
add(S,"t42",61,"ar","Al Qabas","أمير الكويت يحل مجلس الأمة ويوقف العمل ببعض مواد الدستور",
 "أصدر أمير الكويت، الأربعاء، مرسوما بحل مجلس الأمة ووقف العمل ببعض مواد الدستور لمدة لا تزيد على أربع سنوات.",
 ["kuwait"],["politics"])
add(S,"t43",75,"en","Ahram Online","Suez Canal revenue drops as ships avoid Red Sea",
 "Egypt's Suez Canal revenue fell by more than half last month as shipping companies diverted vessels away from the Red Sea after Houthi attacks, the canal authority said.",
 ["egypt","red-sea","yemen"],["maritime-security"])
add(S,"t44",120,"en","Reuters","Drone attack sparks fire at Abu Dhabi fuel depot",
 "A drone attack caused a fire at a fuel storage depot near Abu Dhabi on Saturday and three fuel tankers exploded, police said. Yemen's Houthis claimed the attack.",
 ["uae","yemen"],["armed-conflict","energy"])
add(S,"t44",122,"en","Gulf News","Abu Dhabi police: fire at fuel depot caused by drone",
 "Abu Dhabi police said drones hit a fuel depot in Musaffah on Saturday, killing three workers and setting tankers ablaze.",
 ["uae"],["armed-conflict","energy"])
add(S,"t44",123,"ar","WAM","حريق في خزانات وقود بأبوظبي إثر هجوم بطائرات مسيرة",
 "أعلنت شرطة أبوظبي، السبت، اندلاع حريق في خزانات للوقود في منطقة مصفح إثر هجوم بطائرات مسيرة أسفر عن مقتل ثلاثة عمال.",
 ["uae"],["armed-conflict","energy"])
add(S,"t45",5,"en","SANA","Earthquake damages homes in Latakia countryside",
 "A 5.2 magnitude earthquake damaged dozens of homes in the Latakia countryside early on Monday, and rescue teams evacuated families to shelters, officials said.",
 ["syria"],["humanitarian"])
add(S,"t46",130,"en","Jordan Times","Thousands rally in Amman in solidarity with Gaza",
 "Thousands of Jordanians rallied near the Israeli embassy in Amman on Saturday in solidarity with Palestinians in Gaza, and police kept protesters away from the building.",
 ["israel","jordan","palestine"],["protests"])
add(S,"t48",36,"en","Kurdistan24","Kirkuk council vote on governor sparks dispute",
 "A session of Kirkuk's provincial council to elect a new governor ended in dispute on Tuesday as Turkmen and Arab members boycotted the vote.",
 ["iraq"],["politics"])
add(S,"t48",38,"en","Shafaq News","Kirkuk governor election boycotted by blocs",
 "Arab and Turkmen blocs boycotted Tuesday's vote in the Kirkuk provincial council, saying the election of the new governor was illegal.",
 ["iraq"],["politics"])
add(S,"t49",52,"en","Reuters","IAEA inspectors return to Iran's Fordow site",
 "International Atomic Energy Agency inspectors visited Iran's Fordow enrichment site on Wednesday for the first time in months, diplomats said.",
 ["iran"],["diplomacy"])
add(S,"t49",53,"ar","Al Alam","مفتشو الوكالة الدولية للطاقة الذرية يزورون منشأة فوردو",
 "زار مفتشو الوكالة الدولية للطاقة الذرية، الأربعاء، منشأة فوردو لتخصيب اليورانيوم في إيران للمرة الأولى منذ أشهر، بحسب دبلوماسيين.",
 ["iran"],["diplomacy"])
add(S,"t50",37,"en","Rudaw","Drone attack targets Erbil airport, no casualties",
 "A drone targeted Erbil International Airport late on Tuesday and was shot down by air defences of the US-led coalition, the Kurdistan Region's counter-terrorism service said.",
 ["iraq","kurdistan-region","united-states"],["armed-conflict"])
add(S,"t50",39,"ar","Shafaq News","إسقاط طائرة مسيرة حاولت استهداف مطار أربيل",
 "أعلن جهاز مكافحة الإرهاب في إقليم كوردستان، مساء الثلاثاء، إسقاط طائرة مسيرة حاولت استهداف مطار أربيل الدولي دون وقوع إصابات.",
 ["iraq","kurdistan-region"],["armed-conflict"])
add(S,"t52",70,"en","UN News","Cholera cases surge in Yemen's Hodeidah",
 "Cholera cases have surged in Yemen's Hodeidah province, the WHO said on Thursday, with hospitals overwhelmed and clean water scarce.",
 ["yemen"],["humanitarian"])
add(S,"t52",72,"ar","Al Masirah","ارتفاع حالات الكوليرا في الحديدة",
 "أعلنت منظمة الصحة العالمية، الخميس، ارتفاع حالات الإصابة بالكوليرا في محافظة الحديدة، وسط نقص المياه النظيفة وضغط على المستشفيات.",
 ["yemen"],["humanitarian"])
add(S,"t53",80,"en","The Peninsula","Qatar signs 15-year LNG supply deal with Germany",
 "QatarEnergy signed a 15-year deal on Thursday to supply liquefied natural gas to Germany from 2026, the energy minister announced in Doha.",
 ["germany","qatar"],["energy"])
add(S,"t54",90,"en","Gulf News","Emirates orders 50 jets at Dubai Airshow",
 "Emirates airline announced an order for 50 wide-body jets worth billions of dollars at the Dubai Airshow on Friday.",
 ["uae"],[])
add(S,"t56",95,"en","Daily Sabah","Turkish lira hits record low against dollar",
 "The Turkish lira weakened to a record low against the dollar on Friday as investors worried about inflation, traders said.",
 ["turkey"],[])
add(S,"t57",30,"ar","Al Sumaria","موجة حر تضرب بغداد ودرجات الحرارة تتجاوز 50 مئوية",
 "توقعت هيئة الأنواء الجوية أن تتجاوز درجات الحرارة في بغداد خمسين درجة مئوية خلال الأيام المقبلة مع طقس صحو ورياح خفيفة.",
 ["iraq"],[])
add(S,"t58",62,"en","Iran International","Hackers claim breach of Iranian crypto exchange Nobitex",
 "A hacking group said on Wednesday it had breached Nobitex, Iran's largest cryptocurrency exchange, and leaked its source code.",
 ["iran"],["cyber"])
add(S,"t58",64,"en","Reuters","Iran's Nobitex exchange says it was hacked",
 "Nobitex, Iran's biggest crypto exchange, said on Wednesday its systems had been hacked and services suspended.",
 ["iran"],["cyber"])

# dev2: for tuning
S="dev"
add(S,"d40",32,"en","North Press","Turkish drones strike SDF positions near Qamishli",
 "Turkish drones struck positions of the Syrian Democratic Forces near Qamishli on Tuesday, killing two fighters, the SDF said.",
 ["syria","turkey"],["armed-conflict"])
add(S,"d40",34,"en","Hawar News","Two SDF fighters killed in Turkish drone attack in Qamishli countryside",
 "Two fighters of the Syrian Democratic Forces were killed when a Turkish drone hit their vehicle in the countryside of Qamishli on Tuesday.",
 ["syria","turkey"],["armed-conflict"])
add(S,"d40",35,"ar","Enab Baladi","مقتل عنصرين من قسد بقصف مسيرة تركية في ريف القامشلي",
 "قتل عنصران من قوات سوريا الديمقراطية (قسد)، الثلاثاء، بقصف طائرة مسيرة تركية استهدف سيارتهما في ريف القامشلي.",
 ["syria","turkey"],["armed-conflict"])
add(S,"d41",56,"en","Shafaq News","Iraqi PM Sudani arrives in Tehran for talks",
 "Iraqi Prime Minister Mohammed Shia al-Sudani arrived in Tehran on Wednesday for talks with President Masoud Pezeshkian on trade, gas debts and border security.",
 ["iran","iraq"],["diplomacy"])
add(S,"d41",58,"en","Tehran Times","Pezeshkian receives Iraqi prime minister",
 "President Pezeshkian welcomed Iraqi Prime Minister al-Sudani in Tehran on Wednesday, and the two sides signed memorandums on energy and transport.",
 ["iran","iraq"],["diplomacy"])
add(S,"d42",78,"en","Jordan Times","Jordan army kills drug smugglers on Syrian border",
 "The Jordanian army said on Thursday it killed four smugglers and seized large quantities of captagon pills as they tried to cross from Syria.",
 ["jordan","syria"],["border-security"])
add(S,"d42",79,"ar","Petra","الجيش الأردني يحبط محاولة تهريب مخدرات على الحدود مع سوريا",
 "أعلن الجيش الأردني، الخميس، مقتل أربعة مهربين وضبط كميات كبيرة من حبوب الكبتاغون خلال محاولتهم اجتياز الحدود من سوريا.",
 ["jordan","syria"],["border-security"])
add(S,"d43",100,"en","Gulf Daily News","Bahrain hosts regional security dialogue",
 "Bahrain opened the Manama Dialogue on Friday, with defence ministers and diplomats from the Gulf, the United States and Europe discussing regional security.",
 ["bahrain","gulf","united-states"],["diplomacy"])
add(S,"d44",50,"en","Reuters","Brent crude climbs 2% on supply worries",
 "Oil prices rose 2 percent on Wednesday as traders weighed supply risks, with Brent futures settling at 84 dollars a barrel; analysts expect volatility in markets this week.",
 [],[])
add(S,"d45",62,"en","Kurdistan24","Baghdad and Erbil fail to agree on public sector salaries",
 "Talks between the federal government in Baghdad and the Kurdistan Regional Government on funding public sector salaries ended without agreement on Wednesday.",
 ["iraq","kurdistan-region"],["politics"])
add(S,"d45",64,"ar","Shafaq News","بغداد وأربيل تفشلان في الاتفاق على رواتب موظفي الإقليم",
 "انتهت، الأربعاء، مباحثات بين الحكومة الاتحادية وحكومة إقليم كوردستان بشأن تمويل رواتب موظفي الإقليم دون التوصل إلى اتفاق.",
 ["iraq","kurdistan-region"],["politics"])
add(S,"d46",84,"en","Al Jazeera","Patients evacuated from Gaza hospital as fighting nears",
 "Dozens of patients were evacuated from al-Awda hospital in northern Gaza on Thursday as Israeli tanks advanced nearby, health officials said.",
 ["israel","palestine"],["armed-conflict","humanitarian"])
add(S,"d46",86,"en","AP","Northern Gaza hospital emptied as Israeli forces advance",
 "Medical staff moved patients out of a hospital in northern Gaza on Thursday as Israeli forces pushed into the area, the UN said.",
 ["israel","palestine"],["armed-conflict","humanitarian"])
add(S,"d47",106,"en","Iran International","Iran cuts mobile internet as protests spread",
 "Iranian authorities cut mobile internet in several cities on Friday as protests over fuel prices spread, internet monitor NetBlocks said.",
 ["iran"],["cyber","protests"])
add(S,"d48",110,"en","Shafaq News","Al-Shorta crowned Iraqi league champions",
 "Al-Shorta won the Iraqi Stars League title on Friday after a 2-0 win over Al-Zawraa in Baghdad, with fans celebrating in the streets.",
 ["iraq"],[])
add(S,"d49",112,"en","Ahram Online","Veteran Egyptian actor dies aged 80",
 "Egyptian film star Hassan Hosny died on Friday aged 80 after a career spanning more than 100 films, his family said.",
 ["egypt"],[])
add(S,"d50",20,"en","Tolo News","Earthquake kills dozens in Afghanistan's Herat",
 "A magnitude 6.3 earthquake struck Herat province on Monday, killing dozens and destroying hundreds of homes, officials said.",
 ["afghanistan"],["humanitarian"])
add(S,"d50",23,"en","Reuters","Herat quake toll rises as rescuers search rubble",
 "Rescuers searched through rubble in villages of Herat on Monday after a powerful earthquake; the UN said aid teams were on their way.",
 ["afghanistan"],["humanitarian"])
add(S,"d51",115,"en","Kyiv Independent","Ukrainian sea drones hit Russian tanker in Black Sea",
 "Ukrainian naval drones struck a Russian oil tanker near the Kerch Strait on Saturday, damaging its engine room, Ukraine's security service said.",
 ["russia","ukraine"],["armed-conflict","maritime-security"])


# test3: written after all tuning (frozen; its figures are reported separately as "test3" too).
BATCH = 3
S="test"
add(S,"t60",200,"en","Rudaw","Turkish drone strike kills PKK commander in Makhmour camp",
 "A Turkish drone strike on Monday killed a senior PKK commander and his driver near the Makhmour refugee camp, south of Erbil, camp officials said.",
 ["iraq","kurdistan-region","turkey"],["armed-conflict"])
add(S,"t60",201,"en","Kurdistan24","PKK commander among two killed in drone attack near Makhmour",
 "Two people including a PKK commander were killed on Monday when a drone believed to be Turkish hit their car on the outskirts of Makhmour camp.",
 ["iraq","kurdistan-region","turkey"],["armed-conflict"])
add(S,"t60",203,"ar","Shafaq News","مقتل قيادي في حزب العمال الكردستاني بضربة مسيرة تركية قرب مخيم مخمور",
 "قتل قيادي بارز في حزب العمال الكردستاني وسائقه، الاثنين، بضربة طائرة مسيرة تركية استهدفت سيارتهما قرب مخيم مخمور جنوبي أربيل.",
 ["iraq","kurdistan-region","turkey"],["armed-conflict"])
add(S,"t61",226,"en","Rudaw","Makhmour residents protest against drone strikes",
 "Hundreds of residents of Makhmour camp protested on Tuesday against repeated drone strikes, calling on the UN to protect the camp.",
 ["iraq","kurdistan-region"],["protests"])
add(S,"t62",210,"en","Reuters","Israeli strike on Beirut suburb kills Hezbollah official",
 "An Israeli airstrike on an apartment in Beirut's southern suburbs killed a senior Hezbollah official on Monday night, security sources said.",
 ["israel","lebanon"],["armed-conflict"])
add(S,"t62",211,"ar","Al Mayadeen","غارة إسرائيلية على الضاحية الجنوبية لبيروت تستهدف قياديا في حزب الله",
 "استهدفت غارة إسرائيلية، ليل الاثنين، شقة سكنية في الضاحية الجنوبية لبيروت، ما أدى إلى استشهاد قيادي في حزب الله، وفق مصادر أمنية.",
 ["israel","lebanon"],["armed-conflict"])
add(S,"t62",213,"en","Naharnet","Dahiyeh strike: Hezbollah mourns senior commander",
 "Hezbollah mourned a senior commander killed in an Israeli strike on Dahiyeh late on Monday and vowed to respond.",
 ["israel","lebanon"],["armed-conflict"])
add(S,"t63",212,"en","AFP","Lebanon's parliament fails to elect president for third time",
 "Lebanon's parliament failed on Monday for a third time to elect a president, as rival blocs remained deadlocked.",
 ["lebanon"],["politics"])
add(S,"t64",230,"en","UKMTO","Vessel reports explosion near ship off Yemen's Mokha",
 "A merchant vessel reported an explosion in the water close to the ship about 25 nautical miles west of Mokha on Tuesday; the crew and vessel were safe, UKMTO said.",
 ["united-kingdom","yemen"],["maritime-security"])
add(S,"t64",232,"ar","Al Arabiya","انفجار قرب سفينة تجارية قبالة المخا في البحر الأحمر",
 "أفادت هيئة عمليات التجارة البحرية البريطانية، الثلاثاء، بوقوع انفجار قرب سفينة تجارية على بعد 25 ميلا بحريا غرب المخا في البحر الأحمر دون إصابات.",
 ["red-sea","united-kingdom","yemen"],["maritime-security"])
add(S,"t65",236,"en","Al-Monitor","Egypt, Qatar press Hamas and Israel on hostage deal",
 "Egyptian and Qatari mediators presented new proposals on Tuesday for a hostage release and ceasefire deal between Israel and Hamas, officials said.",
 ["egypt","israel","palestine","qatar"],["armed-conflict","diplomacy"])
add(S,"t66",240,"en","Iran International","Protests in Zahedan after Friday prayers",
 "Protesters marched in Zahedan after Friday prayers, chanting against the government, as security forces were deployed in the city.",
 ["iran"],["protests"])
add(S,"t66",241,"en","IranWire","Zahedan protesters take to streets again",
 "Residents of Zahedan took to the streets again on Friday in protest at executions and discrimination against the Baluch minority.",
 ["iran"],["politics","protests"])
add(S,"t67",244,"en","Shafaq News","Iraq's oil ministry signs deal with TotalEnergies on Basra gas project",
 "Iraq's oil ministry signed a final agreement with France's TotalEnergies on Wednesday to develop associated gas in Basra fields and build a solar plant.",
 ["france","iraq"],["energy"])
add(S,"t67",245,"ar","Al Sumaria","وزارة النفط توقع اتفاقا نهائيا مع توتال إنرجيز لمشروع الغاز في البصرة",
 "وقعت وزارة النفط العراقية، الأربعاء، اتفاقا نهائيا مع شركة توتال إنرجيز الفرنسية لاستثمار الغاز المصاحب في حقول البصرة وإنشاء محطة للطاقة الشمسية.",
 ["france","iraq"],["energy"])
add(S,"t68",250,"en","Al Jazeera","Sudan's RSF shells El Fasher, killing 20",
 "The Rapid Support Forces shelled El Fasher in Sudan's Darfur on Thursday, killing at least 20 civilians, local activists said.",
 ["sudan"],["armed-conflict"])
add(S,"t68",252,"ar","Al Jazeera","مقتل 20 مدنيا بقصف للدعم السريع على الفاشر",
 "قتل 20 مدنيا على الأقل، الخميس، في قصف مدفعي لقوات الدعم السريع على مدينة الفاشر بإقليم دارفور غربي السودان، بحسب ناشطين.",
 ["sudan"],["armed-conflict"])
add(S,"t69",255,"en","Gulf News","UAE announces record tourism numbers",
 "The UAE welcomed a record number of tourists in the first half of the year, the economy ministry said, with hotel occupancy above 80 percent.",
 ["uae"],[])
add(S,"t70",258,"en","Arab News","Saudi Arabia wins bid to host 2034 World Cup",
 "Saudi Arabia was confirmed on Thursday as host of the 2034 football World Cup, FIFA said.",
 ["saudi-arabia"],[])

# dev4: the reports of the `sitrep demo` feeds (cmd/sitrep/demo), all published within eleven hours
# on one Wednesday (a week after the
# first dev stories, so that no dev story reports the same things as happening at once). Two Turkish drone strikes on the same Tuesday, one in Syria and one in Iraq, must
# stay apart; three outlets' reports of one border memorandum must make one story.
BATCH = 4
S="dev"
add(S,"d60",226,"en","Levant Daily","SDF says three fighters killed in Turkish drone strike near Ain Issa",
 "The Syrian Democratic Forces said three of their fighters were killed when a Turkish drone struck a checkpoint near Ain Issa in northern Syria's Raqqa province on Tuesday.\n\nThe SDF accused Ankara of escalating attacks on north-east Syria. Turkey regards the Kurdish-led force as an extension of the PKK.",
 ["syria","turkey"],["armed-conflict"])
add(S,"d61",230,"en","Zagros Monitor","Turkish drone kills two in Shingal, local officials say",
 "Two people were killed and one wounded when a Turkish drone struck a car west of Shingal (Sinjar) on Tuesday evening, local officials in Nineveh province told Zagros Monitor.\n\nThe officials said those in the car were members of a local force that Turkey considers an affiliate of the PKK. Turkey frequently strikes targets in the area it describes as PKK positions.",
 ["iraq","turkey"],["armed-conflict"])
add(S,"d61",229,"en","Tigris Wire","Drone strike hits vehicle near Sinjar, two killed",
 "SINJAR - A drone struck a vehicle on the road west of Sinjar on Tuesday evening, killing two people and wounding a third, local security officials said.\n\nOfficials in Nineveh province blamed a Turkish drone and said the vehicle belonged to a local armed group affiliated with the PKK. Ankara did not comment.\n\nTurkey has carried out repeated strikes in Shingal against groups it links to the Kurdistan Workers' Party. Iraq's foreign ministry has protested previous strikes as a violation of sovereignty.",
 ["iraq","turkey"],["armed-conflict"])
add(S,"d62",231,"en","Tigris Wire","Iraq and Iran sign memorandum to tighten shared border security",
 "BAGHDAD - Iraq and Iran signed a security memorandum in Baghdad on Monday that commits both governments to joint patrols and intelligence sharing along their shared border, officials said.\n\nThe memorandum was signed by Iraq's national security adviser and the secretary of Iran's Supreme National Security Council during a visit overseen by the Iraqi prime minister.\n\nIt updates a 2023 protocol under which Baghdad pledged to disarm Iranian Kurdish opposition groups based in the Kurdistan Region and to keep them away from the frontier.\n\nWashington said it opposed arrangements that undermine Iraq's own security institutions. Baghdad replied that its decisions are guided by its national interest alone.",
 ["iran","iraq","kurdistan-region","united-states"],["border-security","diplomacy"])
add(S,"d62",232,"en","Zagros Monitor","Baghdad and Tehran turn 2023 border protocol into a formal security memorandum",
 "ERBIL, Kurdistan Region - Iraq's national security adviser said on Wednesday that the memorandum signed with Iran this week converts the 2023 border security protocol into a memorandum of understanding.\n\nUnder the agreement the two countries will coordinate patrols and share intelligence along the border, and Baghdad reaffirmed its commitment to prevent Iranian Kurdish opposition groups from using the Kurdistan Region to stage attacks.\n\nThe adviser defended Iraq's right to sign security agreements with its neighbours after the United States voiced opposition to the deal.",
 ["iran","iraq","kurdistan-region","united-states"],["border-security","diplomacy"])
add(S,"d62",233,"en","Levant Daily","Iraq, Iran security pact draws US objection",
 "The United States objected to the security memorandum that Iraq and Iran signed in Baghdad this week, saying it runs counter to strengthening Iraq's security institutions.\n\nThe memorandum commits the two neighbours to joint border patrols and intelligence sharing and updates their 2023 border security protocol. Iraq's embassy in Washington said Baghdad acts on its own national will.",
 ["iran","iraq","united-states"],["border-security","diplomacy"])
add(S,"d63",227,"en","Zagros Monitor","Iranian Revolutionary Guards reinforce positions on Kurdistan Region frontier",
 "Iran's Islamic Revolutionary Guard Corps moved armoured units and artillery to positions facing the Kurdistan Region on Tuesday, according to residents of border villages near Piranshahr.\n\nThe IRGC ground forces said the deployment was meant to prevent infiltration by armed Kurdish opposition groups. Kurdish parties based in Iraq accused Tehran of preparing new cross-border shelling.",
 ["iran","iraq","kurdistan-region"],["armed-conflict","border-security"])
add(S,"d64",224,"en","Levant Daily","Lebanese army deploys along southern border after overnight shelling",
 "The Lebanese army sent additional units to villages along the southern border after overnight shelling damaged homes near Marjayoun, a military statement said.\n\nHezbollah did not comment. Israel's military said it had struck targets it described as militant infrastructure.",
 ["israel","lebanon"],["armed-conflict","border-security"])
add(S,"d65",225,"en","Tigris Wire","Oil exports from Kurdistan Region to resume through Ceyhan, ministry says",
 "ERBIL - Iraq's oil ministry said crude exports from the Kurdistan Region through the Iraq-Turkey pipeline to the port of Ceyhan will resume next week after Baghdad and Erbil agreed on payment terms.\n\nThe pipeline has been largely shut for more than two years, costing the federal budget billions of dollars in lost revenue. Officials said initial flows would be about 185,000 barrels per day.",
 ["iraq","kurdistan-region","turkey"],["energy"])
add(S,"d66",223,"en","Tigris Wire","Basra football club wins national cup final on penalties",
 "Thousands of fans celebrated in the streets after the club won the cup final on penalties, its first title in nine seasons. The coach praised the goalkeeper, who saved two kicks in the shoot-out.",
 ["iraq"],[])

with open(__file__.replace("make_labelled.py", "labelled.jsonl"), "w", encoding="utf-8") as f:
    for it in items:
        f.write(json.dumps(it, ensure_ascii=False) + "\n")
print(len(items), "items")
