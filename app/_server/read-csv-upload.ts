// An uploaded file wins over pasted text; both import forms send `file` and `csv`.
export const readCsvUpload = async (formData: FormData): Promise<string> => {
  const file = formData.get("file");
  return file instanceof File && file.size > 0 ? file.text() : String(formData.get("csv") ?? "");
};
