/*
 * certificate_pdf.c — the certificate PDF; see certificate_pdf.h.
 */
#include "domain/certificate_pdf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf.h>
#include <qrencode.h>

#define QR_SCALE 4 /* image pixels per module */
#define QR_QUIET 4 /* modules of white border */

struct pdf_err {
	HPDF_STATUS code, detail;
};

static void on_error(HPDF_STATUS code, HPDF_STATUS detail, void *user)
{
	struct pdf_err *e = user;
	if (!e->code) {
		e->code = code;
		e->detail = detail;
	}
}

void cert_number(const struct certificate *c, char out[32])
{
	int year = 0;
	if (c->issued_at && sscanf(c->issued_at, "%4d", &year) != 1)
		year = 0;
	snprintf(out, 32, "JJRC-%04d-%06lld", year, (long long)c->id);
}

/* "2026-01-01" as "2026年01月01日" */
static void date_zh(const char *d, char out[32])
{
	int y, m, dd;
	if (d && sscanf(d, "%d-%d-%d", &y, &m, &dd) == 3)
		snprintf(out, 32, "%04d年%02d月%02d日", y, m, dd);
	else
		snprintf(out, 32, "%s", d ? d : "");
}

/* The QR code of text as an 8-bit gray image (malloc'd); NULL when it does not fit. */
static unsigned char *qr_image(const char *text, unsigned *side)
{
	QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!qr)
		return NULL;
	unsigned mods = (unsigned)qr->width + 2 * QR_QUIET, px = mods * QR_SCALE;
	unsigned char *img = malloc((size_t)px * px);
	if (img) {
		memset(img, 0xff, (size_t)px * px);
		for (int y = 0; y < qr->width; y++)
			for (int x = 0; x < qr->width; x++) {
				if (!(qr->data[y * qr->width + x] & 1))
					continue;
				for (unsigned dy = 0; dy < QR_SCALE; dy++)
					memset(img + ((size_t)(y + QR_QUIET) * QR_SCALE + dy) * px +
						       (size_t)(x + QR_QUIET) * QR_SCALE,
					       0, QR_SCALE);
			}
		*side = px;
	}
	QRcode_free(qr);
	return img;
}

static void text_at(HPDF_Page p, HPDF_Font f, float size, float x, float y, const char *s)
{
	HPDF_Page_SetFontAndSize(p, f, size);
	HPDF_Page_TextOut(p, x, y, s);
}

static void centered(HPDF_Page p, HPDF_Font f, float size, float cx, float y, const char *s)
{
	HPDF_Page_SetFontAndSize(p, f, size);
	float w = HPDF_Page_TextWidth(p, s);
	HPDF_Page_TextOut(p, cx - w / 2, y, s);
}

static void draw(HPDF_Doc pdf, HPDF_Page p, HPDF_Font f, HPDF_Image qr,
		 const struct cert_pdf_input *in)
{
	const struct certificate *c = in->c;
	float w = HPDF_Page_GetWidth(p), h = HPDF_Page_GetHeight(p);
	char num[32], from[32], to[32], issued[32], line[256];

	/* a double border */
	HPDF_Page_SetRGBStroke(p, 0.62f, 0.12f, 0.12f);
	HPDF_Page_SetLineWidth(p, 4);
	HPDF_Page_Rectangle(p, 24, 24, w - 48, h - 48);
	HPDF_Page_Stroke(p);
	HPDF_Page_SetLineWidth(p, 1);
	HPDF_Page_Rectangle(p, 34, 34, w - 68, h - 68);
	HPDF_Page_Stroke(p);

	cert_number(c, num);
	date_zh(c->valid_from, from);
	date_zh(c->valid_to, to);
	char day[11] = "";
	if (c->issued_at)
		snprintf(day, sizeof day, "%s", c->issued_at); /* the date of the timestamp */
	date_zh(day, issued);

	HPDF_Page_BeginText(p);
	HPDF_Page_SetRGBFill(p, 0.62f, 0.12f, 0.12f);
	centered(p, f, 34, w / 2, h - 110, "晋江市人才认定证书");
	HPDF_Page_SetRGBFill(p, 0.3f, 0.3f, 0.3f);
	centered(p, f, 13, w / 2, h - 134, "Jinjiang Talent Certificate");
	HPDF_Page_SetRGBFill(p, 0, 0, 0);
	float x = 90, y = h - 200, step = 38;
	snprintf(line, sizeof line, "姓　　名：%s", in->name ? in->name : "");
	text_at(p, f, 18, x, y, line);
	snprintf(line, sizeof line, "身份证号：%s", in->id_number_mask ? in->id_number_mask : "");
	text_at(p, f, 18, x, y -= step, line);
	snprintf(line, sizeof line, "人才层次：%s", cert_tier_zh(c->tier));
	text_at(p, f, 18, x, y -= step, line);
	snprintf(line, sizeof line, "有 效 期：%s 至 %s", from, to);
	text_at(p, f, 18, x, y -= step, line);
	snprintf(line, sizeof line, "证书编号：%s", num);
	text_at(p, f, 18, x, y -= step, line);
	snprintf(line, sizeof line, "发证机构：%s", c->issuer ? c->issuer : "");
	text_at(p, f, 18, x, y -= step, line);
	snprintf(line, sizeof line, "发证日期：%s", issued);
	text_at(p, f, 18, x, y -= step, line);
	HPDF_Page_SetRGBFill(p, 0.35f, 0.35f, 0.35f);
	text_at(p, f, 10, x, 60,
		"本证书可扫描二维码或访问 /verify/{人才码} 核验真伪与状态。"
		"Scan the code to verify this certificate.");
	HPDF_Page_EndText(p);

	/* the QR code, bottom right, with its caption */
	float qs = 170, qx = w - 90 - qs, qy = 110;
	HPDF_Page_DrawImage(p, qr, qx, qy, qs, qs);
	HPDF_Page_BeginText(p);
	HPDF_Page_SetRGBFill(p, 0, 0, 0);
	centered(p, f, 12, qx + qs / 2, qy - 18, "人才码 · 扫码核验");
	HPDF_Page_EndText(p);
	(void)pdf;
}

enum tp_rc cert_pdf_render(const struct cert_pdf_input *in, unsigned char **out, size_t *len,
			   char *err, size_t errlen)
{
	struct pdf_err e = {0, 0};
	enum tp_rc rc = TP_ERR_INTERNAL;
	const char *font_path = getenv("TALENTPORT_CJK_FONT");
	unsigned side = 0;
	unsigned char *img = NULL;

	*out = NULL;
	*len = 0;
	if (!font_path || !*font_path)
		font_path = CERT_FONT_DEFAULT;
	img = qr_image(in->qr_text ? in->qr_text : "", &side);
	if (!img) {
		snprintf(err, errlen, "二维码内容过长 / the QR text does not fit a QR code");
		return TP_ERR_INVALID;
	}
	HPDF_Doc pdf = HPDF_New(on_error, &e);
	if (!pdf) {
		free(img);
		return TP_ERR_NOMEM;
	}
	HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
	HPDF_UseUTFEncodings(pdf);
	HPDF_SetCurrentEncoder(pdf, "UTF-8");
	size_t fl = strlen(font_path);
	const char *fname = fl > 4 && strcmp(font_path + fl - 4, ".ttc") == 0
				    ? HPDF_LoadTTFontFromFile2(pdf, font_path, 0, HPDF_TRUE)
				    : HPDF_LoadTTFontFromFile(pdf, font_path, HPDF_TRUE);
	if (!fname) {
		snprintf(err, errlen, "无法加载字体 %s（安装 fonts-wqy-zenhei 或设置 "
				      "TALENTPORT_CJK_FONT） / cannot load the font %s (install "
				      "fonts-wqy-zenhei or set TALENTPORT_CJK_FONT)",
			 font_path, font_path);
		rc = TP_ERR_IO;
		goto done;
	}
	HPDF_Font font = HPDF_GetFont(pdf, fname, "UTF-8");
	HPDF_Page page = HPDF_AddPage(pdf);
	HPDF_Image qr = HPDF_LoadRawImageFromMem(pdf, img, side, side, HPDF_CS_DEVICE_GRAY, 8);
	if (!font || !page || !qr)
		goto done;
	HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_LANDSCAPE);
	HPDF_SetInfoAttr(pdf, HPDF_INFO_TITLE, "晋江市人才认定证书");
	HPDF_SetInfoAttr(pdf, HPDF_INFO_CREATOR, "TalentPort");
	draw(pdf, page, font, qr, in);
	if (e.code || HPDF_SaveToStream(pdf) != HPDF_OK)
		goto done;
	HPDF_UINT32 size = HPDF_GetStreamSize(pdf);
	unsigned char *buf = malloc(size ? size : 1);
	if (!buf) {
		rc = TP_ERR_NOMEM;
		goto done;
	}
	HPDF_UINT32 got = size;
	HPDF_ResetStream(pdf);
	(void)HPDF_ReadFromStream(pdf, buf, &got); /* HPDF_STREAM_EOF at the end is normal */
	if (got != size) {
		free(buf);
		goto done;
	}
	*out = buf;
	*len = got;
	rc = TP_OK;
done:
	if (rc == TP_ERR_INTERNAL)
		snprintf(err, errlen, "生成 PDF 失败（libharu 错误 0x%04X/%u） / PDF rendering failed "
				      "(libharu error 0x%04X/%u)",
			 (unsigned)e.code, (unsigned)e.detail, (unsigned)e.code, (unsigned)e.detail);
	HPDF_Free(pdf);
	free(img);
	return rc;
}
