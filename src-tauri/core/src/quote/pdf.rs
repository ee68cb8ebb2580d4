//! A quote as an A4 PDF: the company header, the customer's address with
//! the sender line above it (DIN 5008 style), number and dates, the
//! positions (continued on further pages with the table head repeated),
//! net, VAT per rate and gross, the notes, and on every page the bank
//! details, the footer text and "page n of m".

use super::{validity, QuoteDoc};
use crate::line_item::LineItem;
use crate::pdf::{self, Document, Font, Page, PAGE_HEIGHT, PAGE_WIDTH};
use crate::texts::Text;

const MARGIN: f32 = 56.69; // 2 cm
const RIGHT: f32 = PAGE_WIDTH - MARGIN;
const TEXT: f32 = 0.0;
const MUTED: f32 = 0.35;
const RULE: f32 = 0.6;
const BODY: f32 = 9.5;
const LEADING: f32 = 12.5;

/// Where the page footer begins; content stays above it.
const FOOTER_TOP: f32 = MARGIN + 34.0;

/// The table's columns: (header, right edge or left start, right-aligned).
struct Columns {
    pos: f32,
    product: f32,
    product_width: f32,
    /// Right edges of quantity, unit price, discount, VAT and total.
    numbers: [f32; 5],
}

impl Columns {
    fn new() -> Columns {
        let widths = [44.0, 70.0, 42.0, 50.0, 78.0];
        let mut numbers = [0.0; 5];
        let mut right = RIGHT;
        for i in (0..5).rev() {
            numbers[i] = right;
            right -= widths[i];
        }
        let product = MARGIN + 26.0;
        Columns { pos: MARGIN, product, product_width: right - product - 8.0, numbers }
    }
}

/// Lays the document out page by page.
struct Layout<'a> {
    doc: &'a QuoteDoc,
    pages: Vec<Page>,
    y: f32,
    cols: Columns,
}

impl Layout<'_> {
    fn page(&mut self) -> &mut Page {
        self.pages.last_mut().expect("a page")
    }

    fn new_page(&mut self) {
        self.pages.push(Page::default());
        self.y = PAGE_HEIGHT - MARGIN;
    }

    /// Starts a new page unless `height` fits above the footer.
    fn room(&mut self, height: f32) -> bool {
        if self.y - height < FOOTER_TOP {
            self.new_page();
            return false;
        }
        true
    }

    fn t(&self, text: Text) -> &'static str {
        text.get(self.doc.language)
    }

    fn header(&mut self) {
        let c = &self.doc.company;
        let top = self.y;
        let mut y = top - 14.0;
        let (name, address) = (c.name.clone(), c.address.clone());
        self.page().text(MARGIN, y, Font::Bold, 14.0, TEXT, &name);
        for line in address.lines().filter(|l| !l.trim().is_empty()) {
            y -= 12.5;
            self.page().text(MARGIN, y, Font::Regular, 9.5, TEXT, line);
        }
        let vat_id = if c.vat_id.is_empty() {
            String::new()
        } else {
            format!("{} {}", self.t(Text::QuoteVatId), c.vat_id)
        };
        let mut right_y = top - 10.0;
        for value in [c.email.clone(), c.phone.clone(), vat_id] {
            if !value.is_empty() {
                self.page().text_right(RIGHT, right_y, Font::Regular, 8.5, MUTED, &value);
                right_y -= 11.0;
            }
        }
        self.y = y.min(right_y) - 10.0;
        let y = self.y;
        self.page().line((MARGIN, y), (RIGHT, y), 1.2, TEXT);
    }

    fn addresses(&mut self) {
        let top = self.y - 34.0;
        let c = &self.doc.company;
        // The sender line that shows through a window envelope.
        let sender: Vec<&str> = std::iter::once(c.name.as_str())
            .chain(c.address.lines())
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        let sender = sender.join(" · ");
        let sender = pdf::wrap(&sender, Font::Regular, 7.0, 250.0).swap_remove(0);
        self.page().text(MARGIN, top, Font::Regular, 7.0, MUTED, &sender);
        self.page().line((MARGIN, top - 3.0), (MARGIN + 250.0, top - 3.0), 0.4, RULE);
        let mut y = top - 16.0;
        let recipient = self.doc.recipient.clone();
        for line in &recipient {
            for part in pdf::wrap(line, Font::Regular, 10.5, 250.0) {
                self.page().text(MARGIN, y, Font::Regular, 10.5, TEXT, &part);
                y -= 13.5;
            }
        }
        let doc = self.doc;
        let mut right_y = top;
        for (label, value) in [
            (Text::QuoteNumber, doc.number.clone()),
            (Text::QuoteDate, doc.date_text(doc.date)),
            (Text::QuoteValidUntil, doc.date_text(doc.valid_until)),
        ] {
            let label = self.t(label);
            self.page().text_right(RIGHT - 80.0, right_y, Font::Regular, 9.0, MUTED, label);
            self.page().text_right(RIGHT, right_y, Font::Regular, 9.0, TEXT, &value);
            right_y -= 13.0;
        }
        self.y = y.min(right_y) - 18.0;
    }

    fn title(&mut self) {
        let title = format!("{}: {}", self.t(Text::QuoteTitle), self.doc.title);
        for line in pdf::wrap(&title, Font::Bold, 15.0, RIGHT - MARGIN) {
            self.room(20.0);
            self.y -= 15.0;
            let y = self.y;
            self.page().text(MARGIN, y, Font::Bold, 15.0, TEXT, &line);
            self.y -= 4.0;
        }
        self.y -= 14.0;
    }

    fn table_head(&mut self) {
        let heads = [
            Text::QuoteQuantity,
            Text::QuoteUnitPrice,
            Text::QuoteDiscount,
            Text::QuoteVatColumn,
            Text::QuoteTotal,
        ];
        self.y -= 10.0;
        let y = self.y;
        let (pos, product) = (self.t(Text::QuotePos), self.t(Text::QuoteProduct));
        let (pos_x, product_x, numbers) = (self.cols.pos, self.cols.product, self.cols.numbers);
        self.page().text(pos_x, y, Font::Bold, 8.5, TEXT, pos);
        self.page().text(product_x, y, Font::Bold, 8.5, TEXT, product);
        for (head, right) in heads.into_iter().zip(numbers) {
            let label = self.t(head);
            self.page().text_right(right, y, Font::Bold, 8.5, TEXT, label);
        }
        self.y -= 5.0;
        let y = self.y;
        self.page().line((MARGIN, y), (RIGHT, y), 0.8, TEXT);
    }

    /// A number cell, made smaller when it would not fit its column.
    fn cell(&mut self, right: f32, width: f32, y: f32, text: &str) {
        let mut size = BODY;
        while size > 6.0 && pdf::width(text, Font::Regular, size) > width - 4.0 {
            size -= 0.5;
        }
        self.page().text_right(right, y, Font::Regular, size, TEXT, text);
    }

    fn row(&mut self, n: usize, item: &LineItem) {
        let lines = pdf::wrap(&item.product, Font::Regular, BODY, self.cols.product_width);
        let height = lines.len() as f32 * LEADING + 6.0;
        if !self.room(height) {
            self.table_head();
        }
        let doc = self.doc;
        let top = self.y - LEADING + 1.0;
        let pos_x = self.cols.pos;
        self.page().text(pos_x, top, Font::Regular, BODY, TEXT, &n.to_string());
        let product_x = self.cols.product;
        for (i, line) in lines.iter().enumerate() {
            self.page().text(product_x, top - i as f32 * LEADING, Font::Regular, BODY, TEXT, line);
        }
        let values = [
            doc.quantity(item),
            doc.money(item.unit_price),
            doc.discount(item),
            doc.vat_cell(item),
            doc.money(item.total()),
        ];
        let numbers = self.cols.numbers;
        let mut left = self.cols.product + self.cols.product_width + 8.0;
        for (value, right) in values.iter().zip(numbers) {
            self.cell(right, right - left, top, value);
            left = right;
        }
        self.y -= height;
        let y = self.y + 2.0;
        self.page().line((MARGIN, y), (RIGHT, y), 0.3, RULE);
    }

    fn totals(&mut self) {
        let doc = self.doc;
        let totals = doc.totals();
        let mut rows: Vec<(String, String, Font)> =
            vec![(self.t(Text::QuoteNet).to_owned(), doc.money(totals.net), Font::Regular)];
        for v in &totals.vat {
            let label =
                format!("{} {} {}", doc.vat_label(v.rate), self.t(Text::QuoteVatOn), doc.money(v.base));
            rows.push((label, doc.money(v.amount), Font::Regular));
        }
        rows.push((self.t(Text::QuoteGross).to_owned(), doc.money(totals.gross), Font::Bold));
        let label_right = self.cols.numbers[3];
        self.room(rows.len() as f32 * 15.0 + 12.0);
        self.y -= 6.0;
        let last = rows.len() - 1;
        for (i, (label, value, font)) in rows.into_iter().enumerate() {
            if i == last {
                let y = self.y - 3.0;
                self.page().line((label_right - 160.0, y), (RIGHT, y), 0.8, TEXT);
                self.y -= 4.0;
            }
            self.y -= 14.0;
            let y = self.y;
            self.page().text_right(label_right, y, font, BODY, TEXT, &label);
            self.page().text_right(RIGHT, y, font, BODY, TEXT, &value);
        }
        self.y -= 10.0;
        if totals.reverse_charge {
            let note = self.t(Text::QuoteReverseChargeNote);
            self.paragraph(note, Font::Bold);
        }
        self.paragraph(&validity(doc), Font::Regular);
    }

    fn paragraph(&mut self, text: &str, font: Font) {
        self.y -= 8.0;
        for line in pdf::wrap(text, font, 9.0, RIGHT - MARGIN) {
            self.room(LEADING);
            self.y -= LEADING;
            let y = self.y;
            self.page().text(MARGIN, y, font, 9.0, TEXT, &line);
        }
    }

    /// Bank details, footer text and the page number on every page.
    fn footers(&mut self) {
        let doc = self.doc;
        let bank = doc.bank_line();
        let bank =
            if bank.is_empty() { String::new() } else { format!("{}: {bank}", self.t(Text::QuoteBank)) };
        let mut lines: Vec<String> = pdf::wrap(&bank, Font::Regular, 7.5, RIGHT - MARGIN - 90.0);
        lines.extend(
            doc.company.footer.lines().flat_map(|l| pdf::wrap(l, Font::Regular, 7.5, RIGHT - MARGIN - 90.0)),
        );
        lines.retain(|l| !l.is_empty());
        lines.truncate(3);
        let count = self.pages.len();
        for (i, page) in self.pages.iter_mut().enumerate() {
            let top = FOOTER_TOP - 8.0;
            page.line((MARGIN, top), (RIGHT, top), 0.4, RULE);
            let mut y = top - 10.0;
            for line in &lines {
                page.text(MARGIN, y, Font::Regular, 7.5, MUTED, line);
                y -= 9.5;
            }
            let number = Text::QuotePage.fill(doc.language, &[("page", &(i + 1)), ("pages", &count)]);
            page.text_right(RIGHT, top - 10.0, Font::Regular, 7.5, MUTED, &number);
        }
    }
}

/// The quote as a PDF file.
pub fn render_quote_pdf(doc: &QuoteDoc) -> Vec<u8> {
    let mut layout = Layout { doc, pages: Vec::new(), y: 0.0, cols: Columns::new() };
    layout.new_page();
    layout.header();
    layout.addresses();
    layout.title();
    layout.table_head();
    for (i, item) in doc.items.iter().enumerate() {
        layout.row(i + 1, item);
    }
    layout.totals();
    layout.footers();
    let title = format!("{} {}", Text::QuoteTitle.get(doc.language), doc.number);
    Document { title, pages: layout.pages }.to_bytes()
}
