import { pageTitle } from "@/app/_server/page-title";

export const metadata = pageTitle("Not allowed");

export default async function ForbiddenPage({ searchParams }: { searchParams: Promise<{ need?: string }> }) {
  const { need } = await searchParams;
  return (
    <>
      <h1>Forbidden</h1>
      <div className="banner error" role="alert">
        Your role does not allow this page{need ? ` (it needs ${need})` : ""}. Ask an owner to change your role if you need it.
      </div>
    </>
  );
}
