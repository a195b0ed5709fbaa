/*
 * static_files.h - the files under static/, read into memory at start-up
 * and served with a content type, an ETag and cache headers. Nothing is
 * read from disk per request, and no path from the URL ever reaches open().
 */
#ifndef STATIC_FILES_H
#define STATIC_FILES_H

#include "../http/request.h"

int static_files_load(const char *dir);

/* Serves req->path when it is under /static/; returns 0 when it is not. */
int static_files_serve(struct request *req);

#endif
