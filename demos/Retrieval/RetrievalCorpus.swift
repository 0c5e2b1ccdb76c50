/// The bundled corpus and questions: forty short articles on eight topics, and sixteen
/// questions, each worded differently from the article that answers it.
enum RetrievalCorpus {
    /// Every document, in corpus order.
    static let documents: [CorpusDocument] = [
        CorpusDocument(
            id: "astro-eclipse", title: "Solar eclipses",
            text: """
                A solar eclipse happens when the Moon passes between the Sun and the Earth and blocks its light. The \
                Moon's shadow falls on a narrow strip of the planet, and there the sky darkens in the middle of the \
                day. During a total eclipse the solar corona, the thin outer atmosphere of the Sun, becomes visible. \
                Never look at the Sun without proper eclipse glasses, even when most of it is covered.
                """),
        CorpusDocument(
            id: "astro-blackhole", title: "Black holes",
            text: """
                A black hole is a region where gravity is so strong that nothing, not even light, can escape. Its \
                boundary is called the event horizon. Stellar black holes form when a very massive star collapses \
                at the end of its life. Astronomers detect them by the hot gas that swirls around them and by the \
                gravitational waves released when two of them merge.
                """),
        CorpusDocument(
            id: "astro-exoplanet", title: "Finding exoplanets",
            text: """
                Exoplanets are planets that orbit stars other than the Sun. The transit method watches a star's \
                brightness: when a planet crosses in front of it, the light dims slightly and regularly. The radial \
                velocity method measures how the star wobbles as the planet's gravity tugs it. Thousands of \
                exoplanets have been discovered this way by telescopes such as Kepler and TESS.
                """),
        CorpusDocument(
            id: "astro-stars", title: "The life of a star",
            text: """
                A star shines because nuclear fusion in its core turns hydrogen into helium. When the hydrogen runs \
                out, a star like the Sun swells into a red giant. It then sheds its outer layers and leaves a small, \
                dense white dwarf. Stars far heavier than the Sun end in a supernova explosion instead.
                """),
        CorpusDocument(
            id: "astro-tides", title: "Ocean tides",
            text: """
                Tides are the daily rise and fall of the sea. The Moon's gravity pulls the oceans into two bulges, \
                one facing the Moon and one on the far side, and the Earth rotates through both. Most coasts \
                therefore see two high tides and two low tides each day. Spring tides, when the Sun and Moon line \
                up, are the highest of the month.
                """),
        CorpusDocument(
            id: "cook-sourdough", title: "Baking sourdough bread",
            text: """
                Sourdough bread is leavened with a starter, a fermented mix of flour and water full of wild yeast \
                and lactic acid bacteria. Feed the starter daily until it doubles reliably. The bacteria give the \
                loaf its sour flavour, and a long, cool fermentation deepens it. Bake in a very hot covered pot so \
                the crust blisters and the crumb opens.
                """),
        CorpusDocument(
            id: "cook-pasta", title: "Making fresh pasta",
            text: """
                Fresh pasta needs only flour and eggs. Make a well in the flour, crack the eggs into it and mix with \
                a fork, then knead the dough for ten minutes until it is smooth and elastic. Let it rest under a \
                cloth for half an hour, roll it thin and cut it into ribbons. Fresh noodles cook in two or three \
                minutes in salted boiling water.
                """),
        CorpusDocument(
            id: "cook-maillard", title: "The Maillard reaction",
            text: """
                Searing a steak or toasting bread turns the surface brown through the Maillard reaction. Amino acids and \
                sugars react above about 140 degrees Celsius and form hundreds of new flavour compounds. Moisture \
                keeps the surface too cool, so pat meat dry before it goes into the pan. A crowded pan steams \
                instead of searing.
                """),
        CorpusDocument(
            id: "cook-emulsion", title: "Emulsions: mayonnaise and vinaigrette",
            text: """
                Oil and water do not mix on their own; an emulsion suspends tiny droplets of one in the other. In \
                mayonnaise, lecithin from the egg yolk coats the oil droplets and keeps them apart. A vinaigrette of \
                oil and vinegar separates within minutes unless mustard or honey helps to stabilise it. Add the oil \
                slowly while whisking hard.
                """),
        CorpusDocument(
            id: "cook-knife", title: "Knife skills",
            text: """
                A sharp knife is safer than a dull one, because it cuts instead of slipping. Hold the handle with a \
                pinch grip and curl the fingers of the other hand into a claw. To dice an onion, halve it, make \
                horizontal and vertical cuts, then slice across. A honing steel straightens the edge between \
                sharpenings on a whetstone.
                """),
        CorpusDocument(
            id: "garden-compost", title: "Composting at home",
            text: """
                Compost turns kitchen scraps and garden waste into rich soil. Mix green material such as vegetable \
                peels and grass clippings with brown material such as dry leaves and cardboard. Microbes break the \
                pile down faster when it is moist and turned every week to let air in. Leave out meat, dairy and \
                oily food, which attract pests.
                """),
        CorpusDocument(
            id: "garden-tomato", title: "Growing tomatoes",
            text: """
                Tomatoes need full sun, at least six hours a day, and warm soil. Tie the plants to stakes or cages so \
                the fruit stays off the ground. Water deeply and evenly; irregular watering causes blossom end rot, \
                a calcium problem that blackens the bottom of the fruit. Pinch out side shoots to get larger \
                tomatoes.
                """),
        CorpusDocument(
            id: "garden-pruning", title: "Pruning fruit trees",
            text: """
                Prune apple and pear trees in late winter, while they are dormant. Remove dead, diseased and crossing \
                branches first. Opening the centre of the tree lets in light and air, which ripens the fruit and \
                keeps fungal disease away. Cut just above an outward facing bud with clean, sharp shears.
                """),
        CorpusDocument(
            id: "garden-ph", title: "Soil pH",
            text: """
                Soil pH measures how acidic or alkaline the ground is, on a scale from 0 to 14. Most vegetables \
                prefer slightly acidic soil around 6.5. Blueberries and rhododendrons need much more acidic soil. \
                Garden lime raises the pH and sulfur lowers it; test the soil before adding either.
                """),
        CorpusDocument(
            id: "garden-photosynthesis", title: "Photosynthesis",
            text: """
                Photosynthesis is how plants make their own food. Chlorophyll in the leaves captures the energy of \
                sunlight and uses it to combine carbon dioxide from the air with water from the roots. The result is \
                glucose, a sugar that fuels the plant's growth, and oxygen, which is released into the air.
                """),
        CorpusDocument(
            id: "net-dns", title: "How DNS works",
            text: """
                The Domain Name System translates names like example.com into the numeric IP addresses computers \
                use. Your computer asks a resolver, which queries the root servers, then the servers for the \
                top-level domain, then the domain's own name servers. Answers are cached for the time to live the \
                record specifies, so repeated lookups are fast.
                """),
        CorpusDocument(
            id: "net-tcp", title: "The TCP handshake",
            text: """
                TCP gives applications a reliable, ordered stream of bytes over an unreliable network. A connection \
                opens with a three-way handshake: SYN, SYN-ACK and ACK. Every segment is acknowledged, and lost \
                segments are retransmitted after a timeout. Flow control and congestion control keep the sender from \
                overwhelming the receiver or the network.
                """),
        CorpusDocument(
            id: "net-tls", title: "TLS and HTTPS",
            text: """
                TLS encrypts the traffic between a browser and a web server; HTTPS is HTTP over TLS. During the \
                handshake the server presents a certificate signed by a certificate authority, which proves its \
                identity. The two sides then agree on a session key with public key cryptography and encrypt \
                everything after that with a fast symmetric cipher.
                """),
        CorpusDocument(
            id: "net-wifi", title: "Wi-Fi interference",
            text: """
                Wi-Fi uses radio in the 2.4 GHz and 5 GHz bands. The 2.4 GHz band reaches further through walls but \
                has only three channels that do not overlap, and microwave ovens and Bluetooth devices share it. \
                Choosing a less crowded channel, or moving the router away from thick walls and metal, often speeds \
                up a slow wireless connection.
                """),
        CorpusDocument(
            id: "net-hashtable", title: "Hash tables",
            text: """
                A hash table stores values under keys. A hash function turns each key into the index of a bucket, so \
                a lookup takes constant time on average. Two keys that land in the same bucket collide; chaining \
                keeps a small list per bucket, while open addressing probes for the next free slot. The table grows \
                and rehashes when it gets too full.
                """),
        CorpusDocument(
            id: "health-vaccine", title: "How vaccines work",
            text: """
                A vaccine trains the immune system to recognise a pathogen without causing the disease. It contains \
                an antigen, such as a weakened virus or a piece of its protein. The body responds by making \
                antibodies and memory cells. If the real virus arrives later, the memory cells remember it and the \
                immune response is fast and strong.
                """),
        CorpusDocument(
            id: "health-sleep", title: "Sleep cycles",
            text: """
                Sleep runs in cycles of about ninety minutes, each passing through light sleep, deep sleep and REM \
                sleep, when most dreaming happens. Deep sleep restores the body, while REM sleep helps memory. The \
                circadian rhythm, set by daylight and the hormone melatonin, decides when we feel tired. Adults need \
                seven to nine hours a night.
                """),
        CorpusDocument(
            id: "health-hydration", title: "Dehydration",
            text: """
                Dehydration happens when the body loses more water than it takes in, through sweat, illness or heat. \
                Early signs are thirst, dark urine, headache and tiredness. Severe dehydration upsets the balance of \
                electrolytes such as sodium and potassium. Drinking water regularly, and more during exercise or hot \
                weather, prevents it.
                """),
        CorpusDocument(
            id: "health-cardio", title: "Aerobic exercise and the heart",
            text: """
                Aerobic exercise such as brisk walking, cycling or swimming makes the heart stronger. A trained heart \
                pumps more blood with each beat, so the resting heart rate falls. Guidelines suggest at least 150 \
                minutes of moderate activity a week. Regular cardio also lowers blood pressure and improves \
                endurance.
                """),
        CorpusDocument(
            id: "health-antibiotics", title: "Antibiotic resistance",
            text: """
                Antibiotics kill bacteria, but bacteria evolve. Each course of antibiotics leaves the hardiest \
                survivors, and their resistant genes spread. Overuse, such as antibiotics for viral colds or in \
                livestock feed, speeds this up. Taking the full prescribed course and using antibiotics only when \
                needed slows resistance down.
                """),
        CorpusDocument(
            id: "fin-compound", title: "Compound interest",
            text: """
                Compound interest is interest earned on earlier interest. Money growing at five percent a year \
                doubles in about fourteen years, because each year's gain is added to the balance before the next \
                year's is computed. The growth is exponential, so starting to save early matters more than saving \
                large amounts later.
                """),
        CorpusDocument(
            id: "fin-inflation", title: "Inflation",
            text: """
                Inflation is a general rise in prices that reduces the purchasing power of money. Moderate inflation \
                of about two percent a year is a common target for central banks. When inflation runs too high, a \
                central bank raises interest rates to cool borrowing and spending. Savings that earn less than \
                inflation lose value over time.
                """),
        CorpusDocument(
            id: "fin-index", title: "Index funds",
            text: """
                An index fund buys every stock in a market index, such as the S&P 500, instead of picking winners. \
                Owning hundreds of companies spreads the risk of any one failing. Because nobody is paid to choose \
                stocks, the fees are low, and over decades most actively managed funds fail to beat the index after \
                their costs.
                """),
        CorpusDocument(
            id: "fin-budget", title: "Making a budget",
            text: """
                A budget is a plan for where your income goes. The 50/30/20 rule puts half of it towards needs, \
                thirty percent towards wants and twenty percent towards savings and paying off debt. Track every \
                expense for a month to see where the money actually goes. Build an emergency fund worth three to six \
                months of expenses first.
                """),
        CorpusDocument(
            id: "fin-bonds", title: "How bonds work",
            text: """
                A bond is a loan to a government or a company. The issuer pays a fixed coupon every year and returns \
                the principal at maturity. When market interest rates rise, new bonds pay more, so the price of \
                existing bonds falls until their yield matches. Bond prices and yields therefore move in opposite \
                directions.
                """),
        CorpusDocument(
            id: "music-guitar", title: "Tuning a guitar",
            text: """
                A guitar in standard tuning has six strings tuned E, A, D, G, B and E, from the lowest to the \
                highest. Turn the tuning pegs slowly while plucking the string and watching an electronic tuner. \
                Tune up to the note rather than down to it, so the string holds its pitch. New strings stretch and \
                need retuning often.
                """),
        CorpusDocument(
            id: "music-scales", title: "Major and minor scales",
            text: """
                A scale is a sequence of notes separated by whole steps and half steps. The major scale follows the \
                pattern whole, whole, half, whole, whole, whole, half, and sounds bright. The natural minor scale \
                lowers the third, sixth and seventh notes; its flattened third gives it a darker, sad sound. Every \
                major key has a relative minor that shares its notes.
                """),
        CorpusDocument(
            id: "music-piano", title: "How a piano makes sound",
            text: """
                Pressing a piano key throws a felt hammer against steel strings, which vibrate at the note's \
                frequency. The wooden soundboard amplifies the vibration. Releasing the key lets a damper stop the \
                string. The sustain pedal lifts all the dampers, so notes ring on and blend together.
                """),
        CorpusDocument(
            id: "music-rhythm", title: "Rhythm and time signatures",
            text: """
                A time signature says how many beats are in each measure and which note gets one beat. Most popular \
                music is in 4/4, four quarter-note beats to the bar, while a waltz is in 3/4. Tempo, measured in \
                beats per minute, sets how fast the beat goes. A metronome helps musicians keep steady time.
                """),
        CorpusDocument(
            id: "music-acoustics", title: "Concert hall acoustics",
            text: """
                The sound in a concert hall depends on reverberation, the reflections that linger after a note \
                stops. Too little and the music sounds dry; too much and it turns muddy. Designers shape walls and \
                ceilings to spread the reflections evenly and use soft materials to absorb echoes. A reverberation \
                time of about two seconds suits orchestral music.
                """),
        CorpusDocument(
            id: "sport-marathon", title: "Training for a marathon",
            text: """
                Marathon training takes four or five months of gradually longer runs. A weekly long run builds \
                endurance, reaching about 32 kilometres three weeks before the race. Taper in the last weeks so the \
                legs arrive fresh, and eat more carbohydrates in the final days. On race day, start slower than \
                feels necessary and keep an even pace.
                """),
        CorpusDocument(
            id: "sport-chess", title: "Chess openings",
            text: """
                The opening is the first phase of a chess game. Good openings control the centre of the board with \
                pawns, develop the knights and bishops quickly and castle the king to safety. Moving the same piece \
                twice or bringing the queen out early wastes time. Popular openings include the Italian Game and the \
                Sicilian Defence.
                """),
        CorpusDocument(
            id: "sport-climbing", title: "Rock climbing safety",
            text: """
                Climbers tie into the rope with a figure-eight knot and check each other's harness and knot before \
                every climb. The belayer feeds rope through a belay device and can lock it instantly to catch a \
                fall. Carabiners and quickdraws connect the rope to bolts in the rock. Wear a helmet against falling \
                stones.
                """),
        CorpusDocument(
            id: "sport-swimming", title: "Freestyle swimming technique",
            text: """
                Good freestyle starts with a flat, streamlined body position. Breathe by rolling the head to the side \
                with the body's rotation, rather than lifting it. Each arm reaches forward, catches the water and \
                pulls back under the body. A steady flutter kick from the hips keeps the legs high.
                """),
        CorpusDocument(
            id: "sport-cycling", title: "Using bicycle gears",
            text: """
                Bicycle gears let a rider keep a comfortable cadence on any slope. The front chainrings and rear \
                cogs are changed by derailleurs that move the chain. Shift to an easier, lower gear before a steep \
                hill, not halfway up it. Avoid crossing the chain from the largest ring to the largest cog, which \
                wears the drivetrain.
                """),
    ]

    /// The bundled questions, each with the document that answers it.
    static let queries: [RetrievalQuery] = [
        RetrievalQuery(text: "why does the moon block out the sun", expected: "astro-eclipse"),
        RetrievalQuery(text: "can light escape from a black hole", expected: "astro-blackhole"),
        RetrievalQuery(text: "how do astronomers discover planets around other stars", expected: "astro-exoplanet"),
        RetrievalQuery(text: "wild yeast starter for a sour loaf", expected: "cook-sourdough"),
        RetrievalQuery(text: "why does a steak turn brown when seared", expected: "cook-maillard"),
        RetrievalQuery(text: "stop oil and vinegar from separating", expected: "cook-emulsion"),
        RetrievalQuery(text: "what scraps can go in a compost pile", expected: "garden-compost"),
        RetrievalQuery(text: "how do leaves turn sunlight into sugar", expected: "garden-photosynthesis"),
        RetrievalQuery(text: "translate a domain name into an ip address", expected: "net-dns"),
        RetrievalQuery(text: "what does a certificate prove in https", expected: "net-tls"),
        RetrievalQuery(text: "how does the immune system remember a virus", expected: "health-vaccine"),
        RetrievalQuery(text: "why do bacteria become resistant to antibiotics", expected: "health-antibiotics"),
        RetrievalQuery(text: "interest that grows on itself over the years", expected: "fin-compound"),
        RetrievalQuery(text: "why do bond prices fall when rates rise", expected: "fin-bonds"),
        RetrievalQuery(text: "what makes a minor scale sound sad", expected: "music-scales"),
        RetrievalQuery(text: "how should I prepare to run a marathon", expected: "sport-marathon"),
    ]
}
