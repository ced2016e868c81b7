// A small C interface over TagLib's C++ PropertyMap (Debian's libtagc0-dev pulls in libtag1-dev).
//
// TagLib 1.13's own C API (tag_c.h) reads only title, artist, album, comment, genre, year and track;
// the property map also carries MOOD, BPM, multi-valued GENRE and the rest, so Duet reads tags here.
#ifndef DUET_TAGLIB_H
#define DUET_TAGLIB_H

#ifdef __cplusplus
extern "C" {
#endif

typedef struct DuetTagFile DuetTagFile;

/// Opens `path` for reading and writing tags; NULL when TagLib cannot read the file's format or tags.
DuetTagFile *duet_tag_open(const char *path);

/// Closes a file opened with `duet_tag_open` (unsaved changes are dropped).
void duet_tag_close(DuetTagFile *file);

/// The values of property `key` (e.g. "TITLE", "MOOD", "BPM") joined with the byte 0x1F, as a UTF-8
/// string the caller frees with `free`; NULL when the property is absent or empty.
char *duet_tag_property(const DuetTagFile *file, const char *key);

/// The audio length in milliseconds as the file's headers state it; -1 when unknown.
int duet_tag_length_milliseconds(const DuetTagFile *file);

/// Replaces property `key` with the values in `values` (separated by 0x1F; an empty string removes
/// the property). Returns 1 when TagLib accepted every value, 0 otherwise.
int duet_tag_set_property(DuetTagFile *file, const char *key, const char *values);

/// Writes the tags back to the file. Returns 1 on success.
int duet_tag_save(DuetTagFile *file);

#ifdef __cplusplus
}
#endif

#endif
