// See include/duet_taglib.h. TagLib strings are converted to UTF-8 with String::to8Bit(true).
#include "duet_taglib.h"

#include <taglib/fileref.h>
#include <taglib/tpropertymap.h>
#include <taglib/tstringlist.h>

#include <cstdlib>
#include <cstring>
#include <string>

struct DuetTagFile {
    TagLib::FileRef reference;
    explicit DuetTagFile(const char *path) : reference(path, true, TagLib::AudioProperties::Fast) {}
};

static const char separator = '\x1f';

extern "C" DuetTagFile *duet_tag_open(const char *path) {
    if (path == nullptr) return nullptr;
    DuetTagFile *file = new DuetTagFile(path);
    // An MPEG file is "valid" to TagLib even when no frame was found; require a stated sample rate too.
    if (file->reference.isNull() || file->reference.file() == nullptr || !file->reference.file()->isValid()
        || file->reference.audioProperties() == nullptr || file->reference.audioProperties()->sampleRate() <= 0) {
        delete file;
        return nullptr;
    }
    return file;
}

extern "C" void duet_tag_close(DuetTagFile *file) { delete file; }

extern "C" char *duet_tag_property(const DuetTagFile *file, const char *key) {
    if (file == nullptr || key == nullptr) return nullptr;
    const TagLib::PropertyMap properties = file->reference.file()->properties();
    const TagLib::PropertyMap::ConstIterator found = properties.find(TagLib::String(key, TagLib::String::UTF8));
    if (found == properties.end() || found->second.isEmpty()) return nullptr;
    std::string joined;
    bool first = true;
    for (const TagLib::String &value : found->second) {
        if (!first) joined.push_back(separator);
        joined += value.to8Bit(true);
        first = false;
    }
    if (joined.empty()) return nullptr;
    char *copy = static_cast<char *>(std::malloc(joined.size() + 1));
    if (copy == nullptr) return nullptr;
    std::memcpy(copy, joined.c_str(), joined.size() + 1);
    return copy;
}

extern "C" int duet_tag_length_milliseconds(const DuetTagFile *file) {
    if (file == nullptr) return -1;
    const TagLib::AudioProperties *properties = file->reference.audioProperties();
    if (properties == nullptr) return -1;
    return properties->lengthInMilliseconds();
}

extern "C" int duet_tag_set_property(DuetTagFile *file, const char *key, const char *values) {
    if (file == nullptr || key == nullptr || values == nullptr) return 0;
    TagLib::PropertyMap properties = file->reference.file()->properties();
    const TagLib::String name(key, TagLib::String::UTF8);
    TagLib::StringList list;
    std::string all(values);
    size_t start = 0;
    while (!all.empty() && start <= all.size()) {
        size_t end = all.find(separator, start);
        if (end == std::string::npos) end = all.size();
        list.append(TagLib::String(all.substr(start, end - start), TagLib::String::UTF8));
        start = end + 1;
    }
    if (list.isEmpty()) {
        properties.erase(name);
    } else {
        properties.replace(name, list);
    }
    const TagLib::PropertyMap rejected = file->reference.file()->setProperties(properties);
    return rejected.contains(name) ? 0 : 1;
}

extern "C" int duet_tag_save(DuetTagFile *file) {
    if (file == nullptr) return 0;
    return file->reference.save() ? 1 : 0;
}
