"""The music words the tokenizer reference scripts build their seeded captions from (genres, moods,
instruments), kept in one place so every tokenizer fixture is drawn from the same vocabulary."""

GENRES = ["jazz", "rock", "bossa nova", "hip hop", "techno", "folk", "classical", "reggae", "metal", "blues",
          "k-pop", "drum & bass", "lo-fi", "R&B", "soul", "funk", "disco", "trap", "ambient", "country"]
MOODS = ["mellow", "energetic", "sad", "happy", "dark", "dreamy", "calm", "aggressive", "romantic", "epic"]
INSTRUMENTS = ["piano", "brushed drums", "upright bass", "electric guitar", "violin", "synth pads", "808s",
               "saxophone", "fiddle", "banjo", "cello", "harp", "tabla", "sitar", "accordion", "flute"]
