/*
 * certificate_pdf.h — the certificate as a PDF (libharu, a CJK TrueType font, libqrencode).
 *
 * One A4 landscape page: title, name, masked ID number, tier (第三层次人才), validity,
 * issuer, certificate number, issue date, and the QR code of the talent code.  The font
 * is embedded (only the glyphs used carry outlines); streams are deflated.
 */
#ifndef TP_DOMAIN_CERTIFICATE_PDF_H
#define TP_DOMAIN_CERTIFICATE_PDF_H

#include <stddef.h>

#include "core/rc.h"
#include "domain/certificates.h"

/* The CJK font (Debian fonts-wqy-zenhei); $TALENTPORT_CJK_FONT names another TrueType
 * file or collection (face 0).  Not WenQuanYi Micro Hei: its CJK glyphs are composites of
 * composites, and libharu 2.3.0 (Debian 12) drops the second level when it embeds a
 * font (fixed upstream after 2.3.0, libharu PR #54), so 晋, 江, 证 ... came out blank.
 * Zen Hei's glyphs are simple outlines.  Fonts with PostScript (CFF) outlines, such as
 * Noto CJK, cannot be embedded by libharu at all. */
#define CERT_FONT_DEFAULT "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"

struct cert_pdf_input {
	const struct certificate *c;
	const char *name;           /* the talent's full name */
	const char *id_number_mask; /* "350582********123X" */
	const char *qr_text;        /* what the QR code holds: the verify URL or the token */
};

/* "JJRC-2026-000123": the certificate number printed on it (year of issue, id). */
void cert_number(const struct certificate *c, char out[32]);

/*
 * Renders the certificate into a malloc'd buffer (*out, *len; the caller frees it).
 * TP_ERR_IO when the font cannot be loaded (err says which file), TP_ERR_INVALID when
 * qr_text does not fit a QR code, TP_ERR_NOMEM, TP_ERR_INTERNAL for other libharu errors.
 */
enum tp_rc cert_pdf_render(const struct cert_pdf_input *in, unsigned char **out, size_t *len,
			   char *err, size_t errlen);

#endif
