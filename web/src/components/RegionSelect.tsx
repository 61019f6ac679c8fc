import { REGIONS, type Session } from '../types';

/** fr-par, nl-ams, pl-waw and whatever else the server is configured with. */
export const RegionSelect = ({ session, region, setRegion }: { session: Session; region: string; setRegion: (region: string) => void }) => {
  const regions = [...new Set([...session.regions, ...REGIONS])];
  return (
    <label className="inline">
      Region
      <select value={region} onChange={(event) => setRegion(event.target.value)}>
        {regions.map((name) => (
          <option key={name} value={name} disabled={!session.regions.includes(name)}>
            {name}
            {session.regions.includes(name) ? '' : ' (not configured)'}
          </option>
        ))}
      </select>
    </label>
  );
};
